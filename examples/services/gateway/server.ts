// The gateway: one request here asks the api and the worker, whose addresses
// come from the system (API_URL and WORKER_URL, one pair per service with a
// port). A connection per request (agent: false), as a keep-alive socket to a
// version that is draining could be closed under a request.
import * as http from 'node:http';

function ask(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => (res.statusCode === 200 ? resolve(body.trim()) : reject(new Error(`${url}: ${res.statusCode}`))));
      })
      .on('error', reject);
  });
}

const server = http.createServer((req, res) => {
  Promise.all([ask(process.env.API_URL ?? ''), ask(process.env.WORKER_URL ?? '')]).then(
    (answers) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`gateway | ${answers.join(' | ')}\n`);
    },
    (err: Error) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`gateway: ${err.message}\n`);
    },
  );
});

server.listen(Number(process.env.PORT), () => console.log(`gateway: serving on ${process.env.PORT}`));
