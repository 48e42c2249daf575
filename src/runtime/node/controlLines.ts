import * as net from 'node:net';

/**
 * The engine's control descriptor, read as lines: `onLine` gets each non-empty one, `onGone` says
 * why the engine can no longer be heard (end of file, an error). Shared by the build worker and
 * the hook preloaded into the user's program.
 */
export function readControlLines(fd: number, onLine: (line: string) => void, onGone: (why: string) => void): net.Socket {
  const control = new net.Socket({ fd, readable: true, writable: false });
  control.setEncoding('utf8');
  let pending = '';
  control.on('data', (chunk: string) => {
    pending += chunk;
    for (let newline = pending.indexOf('\n'); newline >= 0; newline = pending.indexOf('\n')) {
      const line = pending.slice(0, newline).trim();
      pending = pending.slice(newline + 1);
      if (line) onLine(line);
    }
  });
  control.on('end', () => onGone('its control descriptor was closed'));
  control.on('error', (err) => onGone(`its control descriptor failed: ${err.message}`));
  return control;
}
