/** Close codes Helix uses on graphql-ws sockets beyond those of the graphql-ws protocol. */
export enum HelixCloseCode {
  /** The client stopped reading and its send buffer passed the limit (RFC 6455 "Try Again Later"). */
  SlowConsumer = 1013,
}
