import { GraphQLError } from 'graphql';
import { MessageType, parseMessage, stringifyMessage } from 'graphql-ws';
import { describe, expect, it } from 'vitest';
import { nextMessageFramer } from '../../src/pubsub/next-message.js';

const results = [
  { data: { queueMetrics: { at: '2026-01-01T00:00:00.000Z', queueDepth: 12, throttled: false } } },
  { data: { mutationDetected: { contig: 'chr1 "quoted" ünïcödé', position: 10, ref: 'A', alt: 'T' } } },
  { data: null, errors: [new GraphQLError('Forbidden', { extensions: { code: 'FORBIDDEN' } })] },
  { data: {} },
];

describe('next messages around a shared payload', () => {
  it('should write exactly what graphql-ws writes for the same next message', () => {
    for (const id of ['1', 'metrics', 'id with "quotes" and \\ backslash']) {
      const frame = nextMessageFramer(id);
      for (const result of results) {
        const expected = stringifyMessage<MessageType.Next>({ id, type: MessageType.Next, payload: result });
        expect(frame(JSON.stringify(result))).toBe(expected);
      }
    }
  });

  it('should write messages graphql-ws parses as next messages of their subscription', () => {
    const message = parseMessage(nextMessageFramer('alarms')(JSON.stringify(results[0])));
    expect(message).toEqual({ id: 'alarms', type: MessageType.Next, payload: results[0] });
  });

  it('should refuse an id graphql-ws would refuse', () => {
    expect(() => nextMessageFramer('')).toThrow(/non-empty 'id'/);
  });
});
