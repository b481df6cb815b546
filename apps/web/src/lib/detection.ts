/**
 * How long after the file holding its deciding read arrived an alarm went out, for people:
 * "alarm 0.8 s after its file arrived (14:03:07)". Nothing when either time is unknown (stored
 * calls, runs not read from a folder).
 */
export function timeToDetection(
  fileArrivedAt: string | null | undefined,
  detectedAt: string | null | undefined,
  formatTime: (at: string) => string,
): string | undefined {
  if (!fileArrivedAt || !detectedAt) return undefined;
  const seconds = (Date.parse(detectedAt) - Date.parse(fileArrivedAt)) / 1000;
  if (!Number.isFinite(seconds)) return undefined;
  // A file's modification time can lie a little after the clock that stamps the alarm.
  const lag = Math.max(0, seconds);
  const shown = lag < 10 ? lag.toFixed(1) : Math.round(lag).toLocaleString('en-US');
  return `alarm ${shown} s after its file arrived (${formatTime(fileArrivedAt)})`;
}
