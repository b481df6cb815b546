/** How the page's link to live data stands, as the connection indicator shows it. */
export type LinkStatus =
  | { kind: 'connecting' }
  | { kind: 'live' }
  | { kind: 'stale'; silentForSeconds: number }
  | { kind: 'api-down'; message: string }
  | { kind: 'dashboard-down'; retryAt: number | undefined };

/** What the transport and the results have reported so far. */
export interface ConnectionState {
  /** The browser's event stream to the dashboard server. */
  stream: 'idle' | 'connecting' | 'open' | 'retrying';
  /** When the stream will be tried again (epoch ms), while retrying. */
  retryAt: number | undefined;
  /** The last time a result with data arrived (epoch ms). */
  lastDataAt: number | undefined;
  /** Set when the dashboard server reported the API unreachable, cleared by the next data. */
  apiDown: { message: string; at: number } | undefined;
}

/** Seconds without data after which a live page is called stale (metrics arrive at 1–4 Hz). */
export const STALE_AFTER_SECONDS = 5;

/** Derives what to show from the reported state at time `now`. */
export function linkStatus(state: ConnectionState, now: number): LinkStatus {
  if (state.stream === 'retrying') return { kind: 'dashboard-down', retryAt: state.retryAt };
  if (state.apiDown) return { kind: 'api-down', message: state.apiDown.message };
  if (state.stream !== 'open' || state.lastDataAt === undefined) return { kind: 'connecting' };
  const silent = (now - state.lastDataAt) / 1000;
  if (silent > STALE_AFTER_SECONDS) return { kind: 'stale', silentForSeconds: Math.floor(silent) };
  return { kind: 'live' };
}

type Listener = () => void;

/** A tiny external store (for `useSyncExternalStore`) of the connection state. */
export class ConnectionStore {
  #state: ConnectionState = { stream: 'idle', retryAt: undefined, lastDataAt: undefined, apiDown: undefined };
  readonly #listeners = new Set<Listener>();
  #retryNow: (() => void) | undefined;

  readonly subscribe = (listener: Listener) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  readonly getSnapshot = () => this.#state;

  #set(patch: Partial<ConnectionState>) {
    const next = { ...this.#state, ...patch };
    const changed = (Object.keys(patch) as (keyof ConnectionState)[]).some((key) => next[key] !== this.#state[key]);
    if (!changed) return;
    this.#state = next;
    for (const listener of this.#listeners) listener();
  }

  streamConnecting(reconnecting: boolean) {
    this.#set({ stream: reconnecting ? 'retrying' : 'connecting' });
  }

  streamOpen() {
    this.#set({ stream: 'open', retryAt: undefined });
  }

  streamRetrying(retryAt: number, retryNow: () => void) {
    this.#retryNow = retryNow;
    this.#set({ stream: 'retrying', retryAt });
  }

  streamClosed() {
    this.#set({ stream: 'idle' });
  }

  /** Cuts the wait before the next attempt short. */
  retryNow() {
    this.#retryNow?.();
    this.#retryNow = undefined;
  }

  data(at = Date.now()) {
    // Throttled to whole seconds so a 4 Hz stream does not re-render every listener 4 times a second.
    const last = this.#state.lastDataAt;
    if (this.#state.apiDown || last === undefined || at - last >= 1000)
      this.#set({ lastDataAt: at, apiDown: undefined });
  }

  apiUnreachable(message: string, at = Date.now()) {
    if (this.#state.apiDown?.message !== message) this.#set({ apiDown: { message, at } });
  }
}
