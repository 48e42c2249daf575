/** HTTP requests from tests and benchmarks to a program on the loopback interface. */
import * as http from 'node:http';

export interface Answer {
  status: number;
  /** The body without surrounding white space (the example programs end what they print with a newline). */
  body: string;
}

/**
 * GET http://127.0.0.1:<port><urlPath> on a connection of its own. Rejects when the connection
 * fails or no answer comes within `timeoutMs` (an error with code ETIMEDOUT).
 */
export function httpGet(port: number, urlPath = '/', timeoutMs = 5000): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: body.trim() }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
  });
}

/** The same GET, for a test that expects it may fail: the answer, or the error's code (ECONNREFUSED, ETIMEDOUT …). */
export function httpGetOrError(port: number, urlPath = '/', timeoutMs = 5000): Promise<Answer | { error: string }> {
  return httpGet(port, urlPath, timeoutMs).catch((err: NodeJS.ErrnoException) => ({ error: err.code ?? err.message }));
}
