// A service that starts helper processes of its own: a child that ignores SIGTERM (with a
// grandchild under it), and a daemon that detaches itself (a session of its own, ignoring
// SIGTERM). Stopping it, reloading it or killing the engine must still leave nothing behind.
const { spawn } = require('node:child_process');
const http = require('node:http');

const worker = spawn('sh', ['-c', "trap '' TERM INT; sleep 3600 & wait"], { stdio: 'inherit' });
const daemon = spawn(process.execPath, ['-e', "for (const s of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(s, () => {}); setInterval(() => {}, 1 << 30);"], {
  detached: true,
  stdio: 'ignore',
});
daemon.unref();
console.log(`node-spawner: worker pid ${worker.pid}, daemon pid ${daemon.pid}`);

const message = () => 'node spawner v1';

http
  .createServer((req, res) => {
    if (req.url === '/pid') return res.end(`${process.pid}\n`);
    if (req.url === '/children') return res.end(`${worker.pid} ${daemon.pid}\n`);
    res.end(`${message()}\n`);
  })
  .listen(Number(process.env.PORT ?? 8082));
