/** Close codes Helix uses on graphql-ws sockets beyond those of the graphql-ws protocol. */
export enum HelixCloseCode {
  /** The client stopped reading and its send buffer passed the limit (RFC 6455 "Try Again Later"). */
  SlowConsumer = 1013,
  /**
   * The caller's credential is no longer valid (a token or key past its expiry, a revoked key, or
   * one refused at `connection_init`); the close reason says which. The number is graphql-ws's
   * `CloseCode.Unauthorized`, which its clients treat as fatal, so they do not reconnect with the
   * same stale credential (a new code of our own would be retried, then refused, again and again).
   */
  Unauthenticated = 4401,
}
