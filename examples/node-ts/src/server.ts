// A TypeScript HTTP service built with Express. Hot Reload builds it with esbuild and reloads it
// on every save; with the handoff or patch strategy no request is lost, and with patch the visit
// count below survives each change (it is made with keep()).
import express from 'express';
import { greeting } from './greeting';
import { keep } from './hotreload';

const visits = keep('visits', () => ({ count: 0 }));

const app = express();
app.get('/', (_req, res) => {
  res.type('text/plain').send(`${greeting()}\n`);
});
app.get('/pid', (_req, res) => {
  res.type('text/plain').send(`${process.pid}\n`);
});
// A counter kept across live patches.
app.get('/visits', (_req, res) => {
  visits.count++;
  res.type('text/plain').send(`${visits.count}\n`);
});
// /slow?ms=N answers after N ms: a request still in flight while a new version takes over.
app.get('/slow', (req, res) => {
  const ms = Number(req.query.ms) || 0;
  setTimeout(() => res.type('text/plain').send(`slept ${ms} ms in ${process.pid}\n`), ms);
});

const port = Number(process.env.PORT ?? 8080);
app.listen(port, () => {
  console.log(`node-ts: serving on :${port} (pid ${process.pid})`);
});
