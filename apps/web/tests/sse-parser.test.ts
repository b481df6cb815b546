import { describe, expect, it } from 'vitest';
import { createSseParser } from '@/lib/sse-parser';

describe('createSseParser', () => {
  it('should parse events split across chunks at any point', () => {
    const text = 'event: next\ndata: {"a":1}\n\n:ping\n\nevent: complete\ndata: null\n\n';
    for (let cut = 0; cut <= text.length; cut++) {
      const parse = createSseParser();
      const events = [...parse(text.slice(0, cut)), ...parse(text.slice(cut))];
      expect(events).toEqual([
        { event: 'next', data: '{"a":1}' },
        { event: 'complete', data: 'null' },
      ]);
    }
  });

  it('should join multi-line data and accept CRLF line ends', () => {
    const parse = createSseParser();
    expect(parse('data: one\r\ndata: two\r\n\r\n')).toEqual([{ event: 'message', data: 'one\ntwo' }]);
  });

  it('should drop comments used as keep-alive pings', () => {
    expect(createSseParser()(':\n\n:\n\n')).toEqual([]);
  });
});
