/** A run's status as a coloured, labelled badge (the label carries the meaning, not the colour). */
export function StatusBadge({ status }: { status: string }) {
  return (
    <span className={`state state-${status.toLowerCase()}`}>{status.charAt(0) + status.slice(1).toLowerCase()}</span>
  );
}
