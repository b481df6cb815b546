import type { RunWarningRow } from '@/lib/graphql/operations';

/** What each warning code says to an operator, in a few words. */
const LABELS: Record<RunWarningRow['code'], string> = {
  TRUNCATED_FILE: 'File cut short',
  NOT_FASTQ: 'Not FASTQ',
  UNREADABLE_FILE: 'File unreadable',
  EMPTY_FILE: 'Empty file',
  UNCLASSIFIED_SKIPPED: 'Unclassified reads skipped',
  EMPTY_RUN: 'No reads in the run',
  RUN_FOLDER_GONE: 'Run folder deleted',
  LEDGER_WRITE_FAILED: 'File ledger write failed',
  CHANGED_AFTER_TAKEN: 'File changed after it was taken',
  OUTSIDE_INPUT_DIR: 'Link outside the input directory',
  PARTIAL_FILE_ABANDONED: 'Temporary file left out',
  UNREADABLE: 'Could not be read',
};

/** A warning's code in words. */
export function warningLabel(code: RunWarningRow['code']): string {
  return LABELS[code];
}

/** How many of a run's warnings name each code, most frequent first (ties by label). */
export function warningCounts(warnings: readonly Pick<RunWarningRow, 'code'>[]): { label: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const { code } of warnings) counts.set(warningLabel(code), (counts.get(warningLabel(code)) ?? 0) + 1);
  return [...counts]
    .map(([label, count]) => ({ label, count }))
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
}
