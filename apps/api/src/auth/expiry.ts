/** The longest delay `setTimeout` keeps (2^31 - 1 ms, 24.8 days); it fires at once beyond it. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/** Calls `expire` once `expiresAt` (epoch milliseconds) has passed; returns a function that cancels it. */
export function atExpiry(expiresAt: number, expire: () => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    const remaining = expiresAt - Date.now();
    if (remaining <= 0) return expire();
    timer = setTimeout(arm, Math.min(remaining, LONGEST_TIMER_MS));
  };
  arm();
  return () => clearTimeout(timer);
}
