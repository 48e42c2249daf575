import type { DebugAdapter, Language } from '../languages';
import { formatAddress, parseListenAddress, type ListenAddress } from '../settings/listenAddress';
import type { Settings } from '../settings/types';
import { DebugLauncher, type RunSpec } from './debugLauncher';
import type { DebuggedProgram } from './debuggedProgram';
import { DebugRelay, type RelayOwner } from './relay';

/** Where debuggers connect when `debugAddress` says nothing: loopback only, any free port. */
const DEFAULT_ADDRESS: ListenAddress = { host: '127.0.0.1', port: 0 };

/**
 * A session's debugging (the `debug` setting): the address debuggers connect to for the whole
 * session, and every version started under the language's debug adapter.
 */
export class Debugging {
  readonly relay: DebugRelay;
  private readonly adapter: DebugAdapter;
  private readonly launcher: DebugLauncher;

  constructor(
    private readonly settings: Settings,
    language: Language,
    private readonly owner: RelayOwner,
  ) {
    if (!settings.delvePath || !language.debugAdapter) throw new Error('debugging needs the debug adapter found first (resolveSettings finds it)');
    this.adapter = language.debugAdapter;
    this.relay = new DebugRelay(owner, this.adapter.adapterId);
    this.launcher = new DebugLauncher(this.adapter, settings.delvePath, this.relay);
  }

  /** The address debuggers connect to ("127.0.0.1:4711"), once open. */
  get address(): string | undefined {
    const bound = this.relay.address;
    return bound && formatAddress({ host: bound.host || '0.0.0.0', port: bound.port });
  }

  /** Opens the debuggers' address and says where it is. */
  async open(): Promise<void> {
    const wanted = this.settings.debugAddress ? parseListenAddress(this.settings.debugAddress) : DEFAULT_ADDRESS;
    if (typeof wanted === 'string') throw new Error(wanted);
    try {
      await this.relay.open(wanted);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new Error(
        `cannot listen on ${formatAddress(wanted)} for debuggers (${code ?? (err as Error).message})${code === 'EADDRINUSE' ? ': another process listens there; set debugAddress to a free port' : ''}`,
        { cause: err },
      );
    }
    const adapter = this.adapter;
    for (const note of adapter.startNotes(this.settings)) this.owner.log('info', note);
    if (!['127.0.0.1', 'localhost', '::1'].includes(wanted.host))
      this.owner.log('warn', `debug: ${this.address} takes debugger connections from other machines too, and a debugger runs code as you`);
    this.owner.log(
      'info',
      `debug: each version runs under ${adapter.name} (${this.settings.delvePath}); connect a debugger (DAP) to ${this.address}: the session lasts across reloads`,
    );
  }

  launch(spec: RunSpec): Promise<DebuggedProgram> {
    return this.launcher.launch(spec);
  }

  /** Ends the debuggers' session; the versions themselves are stopped by the session. */
  async dispose(): Promise<void> {
    await this.relay.dispose();
    this.launcher.dispose();
  }
}
