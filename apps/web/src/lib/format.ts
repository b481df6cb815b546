const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

/** A count with thousands separators: 1,234,567. */
export function formatCount(value: number | null | undefined): string {
  return value == null || !Number.isFinite(value) ? '—' : integer.format(value);
}

/** A count shortened for axes and tight places: 1.2M. */
export function formatCompact(value: number): string {
  return Math.abs(value) < 1000 ? integer.format(value) : compact.format(value);
}

const BYTE_UNITS = ['kB', 'MB', 'GB', 'TB'] as const;

/** A size in bytes for people, in powers of 1000: 512 B, 12.4 MB. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes == null || !Number.isFinite(bytes) || bytes < 0) return '—';
  if (bytes < 1000) return `${integer.format(bytes)} B`;
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 999.95 && unit < BYTE_UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(1)} ${BYTE_UNITS[unit]}`;
}

/** A rate in reads per second: "48.2k reads/s". */
export function formatRate(value: number | null | undefined): string {
  return value == null || !Number.isFinite(value) ? '—' : `${formatCompact(value)} reads/s`;
}

/** A fraction as a percentage with one decimal: 0.4567 → "45.7 %". */
export function formatPercent(fraction: number | null | undefined): string {
  return fraction == null || !Number.isFinite(fraction) ? '—' : `${(fraction * 100).toFixed(1)} %`;
}

/** A quality score, one decimal. */
export function formatQuality(value: number | null | undefined): string {
  return value == null || !Number.isFinite(value) ? '—' : value.toFixed(1);
}

/** A wall-clock time "14:03:07" (24 h, the viewer's time zone). */
export function formatTime(iso: string | number | Date | null | undefined): string {
  if (iso == null) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '—' : date.toLocaleTimeString('en-GB', { hour12: false });
}

/** A date and time "2026-05-01 14:03:07". */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${date.toLocaleTimeString('en-GB', { hour12: false })}`;
}

/** A duration in seconds as "1 h 02 min", "3 min 05 s" or "42 s". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  if (h > 0) return `${h} h ${String(m).padStart(2, '0')} min`;
  if (m > 0) return `${m} min ${String(rest).padStart(2, '0')} s`;
  return `${rest} s`;
}

/** The first block of a UUID, enough to tell runs apart in lists. */
export function shortId(id: string): string {
  return id.split('-')[0] ?? id;
}
