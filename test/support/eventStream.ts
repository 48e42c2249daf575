import * as http from 'node:http';
import type { PageMessage } from '../../src/engine/browser/hub';

export interface EventStream {
  /** Every message so far, with when it arrived. */
  readonly messages: { at: number; message: PageMessage }[];
  /** The next message not yet taken that `matches` (any by default), waiting up to `timeoutMs`. */
  next(matches?: (m: PageMessage) => boolean, timeoutMs?: number): Promise<PageMessage>;
  close(): void;
}

/** A page's event stream to the engine (GET /__hotreload/events), read as a browser's EventSource would. */
export function openEventStream(port: number, host = '127.0.0.1'): EventStream {
  const messages: { at: number; message: PageMessage }[] = [];
  let taken = 0;
  let wake: (() => void) | undefined;
  const req = http.get({ host, port, path: '/__hotreload/events', agent: false }, (res) => {
    let buffer = '';
    res.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (frame.startsWith('data: ')) messages.push({ at: Date.now(), message: JSON.parse(frame.slice(6)) as PageMessage });
      }
      wake?.();
    });
  });
  req.on('error', () => undefined);
  return {
    messages,
    async next(matches = () => true, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        while (taken < messages.length) {
          const { message } = messages[taken++];
          if (matches(message)) return message;
        }
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no matching page message within ${timeoutMs} ms; had ${JSON.stringify(messages.map((m) => m.message))}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          wake = () => (clearTimeout(timer), (wake = undefined), resolve());
        });
      }
    },
    close: () => req.destroy(),
  };
}
