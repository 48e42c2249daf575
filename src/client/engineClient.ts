import * as vscode from 'vscode';
import type { LanguageClient, LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';

/** vscode-languageclient's State.Running, so that the library loads only when the engine starts. */
const RUNNING = 2 as number;

/**
 * The connection to the engine process (the language server). Started on
 * first use so activation stays cheap; if the engine dies, the language
 * client restarts it and `onRestarted` lets the extension resume its folders.
 */
/** What the extension does as the engine process comes and goes. */
export interface EngineLifecycle {
  onReady(client: LanguageClient): void;
  /** The language client restarted the engine after it died: the folders can be resumed. */
  onRestarted(): void;
  /** The engine stopped and will not come back by itself (the language client gave up restarting it). */
  onGone(): void;
}

export class EngineClient implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private starting: Promise<LanguageClient> | undefined;
  /** Disposables that live as long as one server process. */
  private serverDisposables: vscode.Disposable[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
    private readonly lifecycle: EngineLifecycle,
  ) {}

  get running(): boolean {
    return (this.client?.state as number | undefined) === RUNNING;
  }

  async get(): Promise<LanguageClient> {
    if (this.client && (this.client.state as number) === RUNNING) return this.client;
    this.starting ??= this.start().finally(() => (this.starting = undefined));
    return this.starting;
  }

  private async start(): Promise<LanguageClient> {
    // Loaded on first use: activation stays cheap for users who never start hot reload.
    const { LanguageClient, State, TransportKind } = await import('vscode-languageclient/node');
    if (this.client) {
      // Starting (a restart after a crash is under way): requests wait for it.
      if (this.client.state !== State.Stopped) return this.client;
      // Stopped for good: the language client gave up restarting a crashing engine (5 crashes
      // in 3 minutes) or its first start failed. Its requests would all fail with "Client is
      // not running", so start a fresh one (whose engine also stops the programs left behind).
      await this.stop();
    }
    const module = this.context.asAbsolutePath('dist/server.js');
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
    };
    const clientOptions: LanguageClientOptions = {
      // Every saved file goes to the engine, which decides whether it matters (its filter).
      documentSelector: [{ scheme: 'file' }],
      outputChannel: this.log,
      revealOutputChannelOn: 4 /* never: the extension shows its own messages */,
    };
    const client = new LanguageClient('hotReload', 'Hot Reload', serverOptions, clientOptions);
    this.client = client;
    let wasRunning = false;
    this.serverDisposables.push(
      client.onDidChangeState((e) => {
        if (e.newState === State.Running) {
          if (wasRunning) {
            this.log.warn('The Hot Reload engine stopped unexpectedly and was restarted.');
            void vscode.window.showWarningMessage('The Hot Reload engine stopped unexpectedly; it was restarted.');
            this.lifecycle.onReady(client);
            this.lifecycle.onRestarted();
          }
          wasRunning = true;
        } else if (e.newState === State.Stopped && wasRunning) {
          // A restart passes through Stopped too; only a client still stopped a moment later gave up.
          const check = setTimeout(() => {
            if (this.client === client && client.state === State.Stopped) this.lifecycle.onGone();
          }, 3000);
          this.serverDisposables.push({ dispose: () => clearTimeout(check) });
        }
      }),
    );
    await client.start();
    this.lifecycle.onReady(client);
    return client;
  }

  /** Stops the engine process; its sessions stop their programs first. */
  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    for (const d of this.serverDisposables.splice(0)) d.dispose();
    if (client) await client.stop(10000).catch(() => undefined);
  }

  dispose(): void {
    void this.stop();
  }
}
