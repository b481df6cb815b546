/** One server-sent event. */
export interface ServerSentEvent {
  event: string;
  data: string;
}

/**
 * An incremental parser of `text/event-stream` (the WHATWG event-stream format): feed it decoded
 * text as it arrives, in chunks of any size, and it returns the events completed so far.
 * Comments (`:` lines, used as keep-alive pings) are dropped.
 */
export function createSseParser(): (chunk: string) => ServerSentEvent[] {
  let buffer = '';
  let event = '';
  let data: string[] = [];
  return (chunk) => {
    buffer += chunk;
    const events: ServerSentEvent[] = [];
    for (;;) {
      const newline = buffer.search(/\r\n|\r|\n/);
      if (newline < 0) break;
      // A lone "\r" at the very end may be the first half of "\r\n": wait for the next chunk.
      if (buffer[newline] === '\r' && newline === buffer.length - 1) break;
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
      if (line === '') {
        if (data.length > 0) events.push({ event: event || 'message', data: data.join('\n') });
        event = '';
        data = [];
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    return events;
  };
}
