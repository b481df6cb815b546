import type { BandScore, PopulationScore, Tally } from './score.js';
import { VARIANT_CLASSES } from './score.js';

/** One caller's row: its score and wall time (alignment included), or why it could not run. */
export type CallerOutcome =
  | { caller: string; seconds: number; score: PopulationScore }
  | { caller: string; error: string };

/** The issue's acceptance thresholds, which hold at 1,000× with 0.2 % errors. */
export const ACCEPTANCE = { depth: 1_000, errorRate: 0.002, recallAt5: 0.98, recallAt2: 0.9, precision: 0.99 };

const percent = (fraction: number) => `${Number((fraction * 100).toPrecision(3))} %`;
const figure = (value: number) => value.toFixed(3);
// Precision of a slice without calls is shown as a dash: 1 by definition, but nothing was measured.
const cell = (entry: Tally) =>
  `${figure(entry.recall)} ${`${entry.found}/${entry.expected}`.padStart(7)}  ${entry.called === 0 ? '  —  ' : figure(entry.precision)}`;

/** The table: per caller and AF band, recall (found/planted) and precision over all, per class, and the AF error. */
export function formatTable(outcomes: readonly CallerOutcome[]): string {
  const header =
    `${'caller'.padEnd(14)} ${'AF'.padStart(5)}  ${'all: R  found  P'.padEnd(22)}` +
    VARIANT_CLASSES.map((name) => `${`${name}: R  found  P`.padEnd(22)}`).join('') +
    '|AF error|';
  const lines = [header];
  for (const outcome of outcomes) {
    if ('error' in outcome) {
      lines.push(`${outcome.caller.padEnd(14)} ERROR: ${outcome.error}`);
      continue;
    }
    for (const band of outcome.score.bands) lines.push(bandLine(outcome.caller, band));
    const all = outcome.score.all;
    lines.push(
      `${outcome.caller.padEnd(14)} ${'all'.padStart(5)}  ${cell(all)}  (${all.falseCalls} false of ${all.called} calls)`,
    );
  }
  return lines.join('\n');
}

function bandLine(caller: string, band: BandScore): string {
  const error = band.alleleFrequencyError === undefined ? '—' : `${(band.alleleFrequencyError * 100).toFixed(2)} pp`;
  return (
    `${caller.padEnd(14)} ${percent(band.band).padStart(5)}  ${cell(band.all).padEnd(22)}` +
    VARIANT_CLASSES.map((name) => cell(band.classes[name]).padEnd(22)).join('') +
    error
  );
}

/** Every peer's wall time against helix's (alignment included), or why the ratio cannot be given. */
export function formatSpeed(outcomes: readonly CallerOutcome[]): string {
  const [helix, ...peers] = outcomes;
  const lines = peers.map((peer) => {
    if ('error' in peer) return `${peer.caller.padEnd(14)} no time: it failed`;
    const ratio = helix && !('error' in helix) ? `, helix ${(peer.seconds / helix.seconds).toFixed(2)}x as fast` : '';
    return `${peer.caller.padEnd(14)} ${peer.seconds.toFixed(1)} s${ratio}`;
  });
  const timed = peers.filter((peer): peer is Extract<CallerOutcome, { seconds: number }> => !('error' in peer));
  const fastest = timed.reduce<(typeof timed)[number] | undefined>(
    (best, peer) => (best === undefined || peer.seconds < best.seconds ? peer : best),
    undefined,
  );
  if (helix && !('error' in helix) && fastest) {
    lines.unshift(
      `${helix.caller.padEnd(14)} ${helix.seconds.toFixed(1)} s: ${(fastest.seconds / helix.seconds).toFixed(2)}x ` +
        `the fastest peer pipeline (${fastest.caller}); the issue asks for ≥ 5x`,
    );
  } else {
    lines.unshift(`${(helix?.caller ?? 'helix').padEnd(14)} no time: it failed`);
  }
  return lines.join('\n');
}

/** The issue's acceptance, judged on helix's row against the thresholds and the best peer per band. */
export function judgeAcceptance(outcomes: readonly CallerOutcome[]): { met: boolean; line: string } {
  const [helix, ...peers] = outcomes;
  if (!helix || 'error' in helix) return { met: false, line: 'acceptance: not met: the helix row failed (see above)' };
  const band = (score: PopulationScore, frequency: number) => score.bands.find((entry) => entry.band === frequency);
  const checks: { label: string; pass: boolean }[] = [];
  const at5 = band(helix.score, 0.05)?.all.recall ?? 0;
  const at2 = band(helix.score, 0.02)?.all.recall ?? 0;
  checks.push({ label: `recall at 5 % ${figure(at5)} ≥ ${ACCEPTANCE.recallAt5}`, pass: at5 >= ACCEPTANCE.recallAt5 });
  checks.push({ label: `recall at 2 % ${figure(at2)} ≥ ${ACCEPTANCE.recallAt2}`, pass: at2 >= ACCEPTANCE.recallAt2 });
  checks.push({
    label: `precision ${figure(helix.score.all.precision)} ≥ ${ACCEPTANCE.precision}`,
    pass: helix.score.all.precision >= ACCEPTANCE.precision,
  });
  for (const own of helix.score.bands) {
    const rivals = peers.flatMap((peer) => {
      const entry = 'error' in peer ? undefined : band(peer.score, own.band);
      return entry ? [{ caller: peer.caller, entry }] : [];
    });
    const best = rivals.reduce<(typeof rivals)[number] | undefined>(
      // The best recall; of equal recalls, the better precision, so a tie is judged against the stricter peer.
      (top, rival) =>
        top === undefined ||
        rival.entry.all.recall > top.entry.all.recall ||
        (rival.entry.all.recall === top.entry.all.recall && rival.entry.all.precision > top.entry.all.precision)
          ? rival
          : top,
      undefined,
    );
    if (!best) continue;
    // A peer that called nothing in the band sets no precision to match.
    const matched = best.entry.all.called === 0 || own.all.precision >= best.entry.all.precision;
    checks.push({
      label:
        `at ${percent(own.band)} recall ${figure(own.all.recall)} ≥ ${best.caller}'s ${figure(best.entry.all.recall)}` +
        (best.entry.all.called === 0
          ? ''
          : ` at precision ${figure(own.all.precision)} ≥ ${figure(best.entry.all.precision)}`),
      pass: own.all.recall >= best.entry.all.recall && matched,
    });
  }
  const met = checks.every((check) => check.pass);
  const failed = checks.filter((check) => !check.pass).map((check) => check.label);
  return {
    met,
    line: met
      ? `acceptance: met (${checks.map((check) => check.label).join('; ')})`
      : `acceptance: not met: ${failed.join('; ')}`,
  };
}
