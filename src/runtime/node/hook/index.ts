/**
 * Preloaded by Hot Reload into Node programs it runs with the handoff or patch strategy
 * (`node --require <this file>`): the program needs no change. Its first `listen` on the public
 * port takes the socket the engine holds (fd 3) and reports ready; SIGTERM drains it; with the
 * patch strategy, later versions are loaded into the process and only their handlers replace the
 * running ones. Without the engine's environment it does nothing.
 */
import * as module from 'node:module';
import * as path from 'node:path';
import { Channels } from './channels';
import { Drain } from './drain';
import { interceptListen, pretendListening } from './listen';
import { LiveServer } from './liveServer';
import { readProtocol, type PatchCommand, type Protocol } from './protocol';
import { Swapper } from './swap';
import { VersionTimers } from './timers';
import { versionContext } from './versions';

/** The one slot a Node program has: the whole bundle. */
const SLOT = 'app';

function install(protocol: Protocol): void {
  let live: LiveServer | undefined;
  const timers = new VersionTimers();
  timers.install();
  module.syncBuiltinESMExports();
  const swapper = new Swapper(() => live, timers);
  const drain = new Drain(
    () => live,
    protocol.drainMs,
    () => channels.send({ event: 'draining' }),
  );
  const channels = new Channels(
    protocol.notifyFd,
    protocol.controlFd,
    (command) => void run(command),
    (why) => drain.engineGone(why),
  );
  drain.install();

  const run = async ({ slot, id, path: bundle }: PatchCommand): Promise<void> => {
    const error = slot !== SLOT ? `the program has no slot ${JSON.stringify(slot)} (a Node program has one: ${SLOT})` : await swapper.load(bundle, id);
    channels.send(error === undefined ? { event: 'patched', slot, id } : { event: 'patchFailed', slot, id, error });
  };

  if (protocol.listenFd !== undefined && protocol.publicPort !== undefined) {
    const listenFd = protocol.listenFd;
    let warned = false;
    interceptListen(
      protocol.publicPort,
      (server, callback) => {
        if (live) return swapper.offer(server) && (pretendListening(server, live.server, callback), true);
        live = new LiveServer(server, protocol.version);
        const served = live;
        server.once('listening', () => void ready(served));
        // The socket is listening already; Node takes it as it is.
        server.listen({ fd: listenFd }, callback);
        return true;
      },
      (port) => {
        // Said once, while nothing serves on the public port: the likely reason this version never gets ready.
        if (live || warned) return;
        warned = true;
        process.stderr.write(
          `hotreload: this program listens on port ${port}, but Hot Reload holds port ${protocol.publicPort} for the handoff: make it listen on PORT, or set hotReload.listenAddress (--listen) to :${port}\n`,
        );
      },
    );
  }

  /** Ready once the live server listens and the patches this version started with are loaded. */
  const ready = async (served: LiveServer): Promise<void> => {
    const bundle = protocol.startupPatches[SLOT];
    if (bundle) {
      const error = await swapper.load(bundle, protocol.version);
      if (error) {
        process.stderr.write(`hotreload: cannot load ${path.basename(bundle)}, which this version runs: ${error}\n`);
        process.exit(1);
      }
    }
    if (served === live) channels.send({ event: 'ready' });
  };
}

const protocol = readProtocol(process.env, process.pid);
if (protocol) {
  // The main module and what it starts belong to this version, for timers made while loading; when a
  // patched bundle is loaded over it at once, it counts as the version before, so its timers are cleared.
  const patchedAtStart = Object.keys(protocol.startupPatches).length > 0;
  versionContext.enterWith({ version: patchedAtStart ? protocol.version - 0.5 : protocol.version, phase: 'load' });
  install(protocol);
}
