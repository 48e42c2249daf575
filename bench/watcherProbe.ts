/** Runs one watcher on a tree in this process and prints its time to ready and memory as JSON. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startWatcher, type WatchFilter } from '../src/engine/watch/watcher';

const [kind, root] = process.argv.slice(2);
const filter: WatchFilter = {
  accepts: () => true,
  ignoresDir: (dir) => /[/\\](\.git|node_modules|vendor)$/.test(dir),
  ignoreGlobs: () => ['.git', 'node_modules', 'vendor'],
};

async function main(): Promise<void> {
  (globalThis as { gc?: () => void }).gc?.();
  const baselineRss = process.memoryUsage().rss;
  let events = 0;
  const started = process.hrtime.bigint();
  let watcher;
  if (kind === 'native') {
    watcher = await startWatcher(root, filter, (c) => (events += c.length), { kind: 'native', pollIntervalMs: 500, onError: () => undefined });
  } else {
    const chokidar = await import('chokidar');
    const w = chokidar.watch(root, { ignoreInitial: true });
    w.on('all', () => events++);
    await new Promise<void>((resolve) => w.once('ready', () => resolve()));
    watcher = { dispose: () => void w.close() };
  }
  const readyMs = Number(process.hrtime.bigint() - started) / 1e6;
  (globalThis as { gc?: () => void }).gc?.();
  const rssBytes = process.memoryUsage().rss;
  fs.writeFileSync(path.join(root, 'pkg0', 'sub0', 'file0.go'), 'package sub\n\nconst C0 = -1\n');
  const deadline = Date.now() + 3000;
  while (events === 0 && Date.now() < deadline) await sleep(20);
  watcher.dispose();
  process.stdout.write(JSON.stringify({ readyMs, rssBytes, baselineRss, events }));
  setTimeout(() => process.exit(0), 100);
}

void main();
