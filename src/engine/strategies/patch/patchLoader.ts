import type { Program } from '../../processes/program';
import type { ProgramChannels } from '../handoff/programChannels';
import type { NotifyEvent } from '../handoff/protocol';

/** How long a process may take to load a patch before it counts as failed. */
const LOAD_TIMEOUT_MS = 10000;

/**
 * Loads built patches into a running program over its control channel: one
 * `{"op":"patch","slot","id","path"}` command per slot, answered by a `patched` or `patchFailed`
 * event carrying the same slot and id.
 */
/** One patch: a built file per slot, under one id. */
interface PatchFiles {
  files: Map<string, string>;
  id: number;
  /** How a slot is named in messages (the package, the module). */
  unitName: (slot: string) => string;
}

export class PatchLoader {
  private readonly listening = new WeakSet<ProgramChannels>();
  private readonly waiting = new Map<string, (event: PatchAnswer) => void>();

  /** Loads every file into its slot; undefined when all loaded, else why not. */
  async load(into: { channels: ProgramChannels; program: Program }, patch: PatchFiles): Promise<string | undefined> {
    const { channels, program } = into;
    const { files, id, unitName } = patch;
    this.listen(channels);
    for (const [slot, file] of files) {
      const answer = new Promise<PatchAnswer>((resolve) => this.waiting.set(`${slot}:${id}`, resolve));
      if (!channels.send({ op: 'patch', slot, id, path: file })) return 'the running version closed its control channel';
      const event = await Promise.race([answer, program.exited.then(() => undefined), timeout(LOAD_TIMEOUT_MS)]);
      this.waiting.delete(`${slot}:${id}`);
      if (!event)
        return program.running
          ? `the process did not answer the patch of ${slot} within ${LOAD_TIMEOUT_MS / 1000}s`
          : 'the process exited while loading the patch';
      if (event.event === 'patchFailed') return `${unitName(slot)} failed to load: ${event.error ?? 'unknown error'}`;
    }
    return undefined;
  }

  private listen(channels: ProgramChannels): void {
    if (this.listening.has(channels)) return;
    this.listening.add(channels);
    channels.onEvent((event) => {
      if (event.event !== 'patched' && event.event !== 'patchFailed') return;
      this.waiting.get(`${event.slot}:${event.id}`)?.(event);
    });
  }
}

type PatchAnswer = Extract<NotifyEvent, { event: 'patched' | 'patchFailed' }>;

function timeout(ms: number): Promise<undefined> {
  return new Promise((resolve) => setTimeout(() => resolve(undefined), ms).unref());
}
