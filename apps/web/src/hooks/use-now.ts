'use client';

import { useEffect, useState } from 'react';

/** The current time, refreshed every `intervalMs` (for "stale for N s" and relative times). */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(0);
  useEffect(() => {
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
