/** The Helix-Throttle mark: two strands crossing (decorative; the name always stands beside it). */
export function BrandMark() {
  return (
    <svg className="brand-mark" width="22" height="22" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="7" fill="currentColor" />
      <path
        d="M10 6c0 7 12 7 12 14s-12 7-12 6M22 6c0 7-12 7-12 14s12 7 12 6"
        stroke="var(--surface)"
        strokeWidth="2.5"
        fill="none"
        strokeLinecap="round"
      />
    </svg>
  );
}
