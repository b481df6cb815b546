/** How one open socket or stream is ended once its caller's credential is revoked. */
export type EndSession = () => void;

/** The open graphql-ws sockets and SSE streams of every caller, by `Caller.id`, so a revocation can end them. */
export class CallerSessions {
  readonly #sessions = new Map<string, Set<EndSession>>();

  /** Registers an open socket or stream of `callerId`; returns a function that forgets it. */
  hold(callerId: string, end: EndSession): () => void {
    let ends = this.#sessions.get(callerId);
    if (!ends) {
      ends = new Set();
      this.#sessions.set(callerId, ends);
    }
    ends.add(end);
    const held = ends;
    return () => {
      held.delete(end);
      if (held.size === 0 && this.#sessions.get(callerId) === held) this.#sessions.delete(callerId);
    };
  }

  /** Ends every open socket and stream of `callerId`; returns how many there were. */
  endAll(callerId: string): number {
    const ends = this.#sessions.get(callerId);
    this.#sessions.delete(callerId);
    for (const end of ends ?? []) end();
    return ends?.size ?? 0;
  }
}
