// An ES module HTTP service on node:http alone. Hot Reload finds server.js, builds it with
// esbuild (installed into its cache, as this project has none) and reloads it on every save.
// `@hotreload/node` needs no install: Hot Reload's build provides it.
import * as http from 'node:http';
import { keep } from '@hotreload/node';
import { greeting } from './greeting.js';

const visits = keep('visits', () => ({ count: 0 }));

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  res.setHeader('content-type', 'text/plain');
  if (url.pathname === '/pid') return res.end(`${process.pid}\n`);
  if (url.pathname === '/visits') return res.end(`${++visits.count}\n`);
  if (url.pathname === '/slow') {
    const ms = Number(url.searchParams.get('ms')) || 0;
    setTimeout(() => res.end(`slept ${ms} ms in ${process.pid}\n`), ms);
    return;
  }
  res.end(`${greeting()}\n`);
});

const port = Number(process.env.PORT ?? 8080);
server.listen(port, () => console.log(`node-esm: serving on :${port} (pid ${process.pid})`));
