import { MessageType, stringifyMessage } from 'graphql-ws';

/** Writes an already serialised result as the graphql-ws `next` message of one subscription. */
export type NextMessageFramer = (payloadJson: string) => string;

/** The text graphql-ws writes for an empty payload: the payload's `{}`, then the message's `}`. */
const EMPTY_PAYLOAD_END = '{}}';

/**
 * The text of subscription `id`'s `next` message before its payload: graphql-ws's message is
 * this, the payload's JSON, then `}`.
 */
export function nextMessageHead(id: string): string {
  const empty = stringifyMessage<MessageType.Next>({ id, type: MessageType.Next, payload: {} });
  // JSON.stringify writes keys in insertion order, so the payload is the last value in the
  // message: any payload's message is this text with the payload's JSON in place of `{}`.
  if (!empty.endsWith(EMPTY_PAYLOAD_END)) {
    throw new Error(`graphql-ws no longer writes the payload last in a next message: ${empty}`);
  }
  return empty.slice(0, -EMPTY_PAYLOAD_END.length);
}

/** The end of every `next` message after its {@link nextMessageHead}: the payload's JSON and `}`. */
export const nextMessageTail = (payloadJson: string): string => `${payloadJson}}`;

/**
 * A framer for subscription `id` that writes exactly what graphql-ws's `stringifyMessage` writes
 * for a `next` message, without serialising the payload again: one result's JSON is shared by
 * every socket that receives it.
 */
export function nextMessageFramer(id: string): NextMessageFramer {
  const head = nextMessageHead(id);
  return (payloadJson) => `${head}${nextMessageTail(payloadJson)}`;
}
