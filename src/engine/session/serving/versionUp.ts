import type { Clock, Timer } from '../../kernel/clock';
import { runningMs, type Program } from '../../processes/program';
import type { ListenAddress } from '../../settings/listenAddress';
import { probeTcp } from '../../strategies/probes';

/** How often a starting version is looked at: a Go server listens within milliseconds of starting. */
const LOOK_EVERY_MS = 5;

export type VersionStart = 'up' | 'exited';

/**
 * Whether a version that was just deployed is up, for those who must know that the new code
 * answers (a script's `hotreload wait`): the restart strategy reports a version once its process
 * runs, before it listens, and a version that dies within the crash window is a crash on start.
 * It is up once its address accepts a connection (on this machine; a refused connect costs
 * microseconds, where reading the kernel's socket tables can cost tens of milliseconds on a busy
 * machine) or once it has lived through the crash window (a program that listens elsewhere or not
 * at all, or one on a remote target); `exited` when it ends first. Versions deployed by readiness
 * (handoff, proxy) are up at once: their address is the engine's own socket.
 */
export async function whenUp(program: Program, options: { crashWindowMs: number; address: ListenAddress | undefined; clock: Clock }): Promise<VersionStart> {
  const { clock, address } = options;
  let exited = false;
  void program.exited.then(() => (exited = true));
  for (;;) {
    if (exited || !program.running) return 'exited';
    if (runningMs(program, clock.now()) >= options.crashWindowMs) return 'up';
    if (address && (await probeTcp(address.port, address.host, 250)) && program.running) return 'up';
    const left = options.crashWindowMs - runningMs(program, clock.now());
    let timer: Timer | undefined;
    await Promise.race([
      program.exited,
      new Promise((resolve) => (timer = clock.setTimeout(() => resolve(undefined), Math.max(1, Math.min(LOOK_EVERY_MS, left))))),
    ]);
    clock.clearTimeout(timer);
  }
}
