import { describe, expect, it, vi } from 'vitest';
import { ConnectionStore, linkStatus } from '@/lib/connection';

describe('connection status', () => {
  it('should be live while data arrives and stale after five quiet seconds', () => {
    const store = new ConnectionStore();
    store.streamOpen();
    store.data(10_000);
    expect(linkStatus(store.getSnapshot(), 12_000)).toEqual({ kind: 'live' });
    expect(linkStatus(store.getSnapshot(), 16_500)).toEqual({ kind: 'stale', silentForSeconds: 6 });
  });

  it('should say the API is down until data flows again', () => {
    const store = new ConnectionStore();
    store.streamOpen();
    store.data(1_000);
    store.apiUnreachable('The Helix API is not reachable.', 2_000);
    expect(linkStatus(store.getSnapshot(), 2_100)).toMatchObject({ kind: 'api-down' });
    store.data(2_200);
    expect(linkStatus(store.getSnapshot(), 2_300)).toEqual({ kind: 'live' });
  });

  it('should report a lost stream with the time of the next attempt, and retry at once on request', () => {
    const store = new ConnectionStore();
    const retry = vi.fn();
    store.streamRetrying(5_000, retry);
    expect(linkStatus(store.getSnapshot(), 1_000)).toEqual({ kind: 'dashboard-down', retryAt: 5_000 });
    store.retryNow();
    store.retryNow();
    expect(retry).toHaveBeenCalledTimes(1);
  });

  it('should notify listeners only on change, and at most once a second for data', () => {
    const store = new ConnectionStore();
    const listener = vi.fn();
    store.subscribe(listener);
    store.streamOpen();
    store.streamOpen();
    store.data(1_000);
    store.data(1_250);
    store.data(2_100);
    expect(listener).toHaveBeenCalledTimes(3);
  });
});
