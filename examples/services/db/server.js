// A stand-in for a database container (a plain command: no build, never
// reloaded): it listens on PORT and says when it is ready, as a database's
// log does. The api and the worker wait for it.
const net = require('node:net');

const server = net.createServer((socket) => socket.end('db\n'));
server.listen(Number(process.env.PORT), '127.0.0.1', () => {
  console.log(`db: ready to accept connections on ${process.env.PORT}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
