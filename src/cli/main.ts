import * as path from 'node:path';
import { createRequire } from 'node:module';
import { ControlEndpoint, openSession, OutputFlow, readServices, type OutputSink, type Session } from '../engine';
import { kubeAgentImage } from './kubeAgentImage';
import { runServices } from './services';
import { CliRenderer } from './render';
import { parseCliArgs, USAGE } from './args';
import { CONTROL_COMMANDS, CONTROL_USAGE, EXIT, parseControlArgs, type ControlCommand } from './controlArgs';
import { runControlCommand } from './controlCommands';

/**
 * `hotreload`: the engine in a terminal. Program output goes through untouched; the engine's lines
 * are marked. `hotreload wait|status|logs|restart|stop` drive a session that runs already, and
 * `hotreload mcp` serves them to agents over MCP.
 */
async function main(): Promise<number> {
  const [first, ...rest] = process.argv.slice(2);
  if ((CONTROL_COMMANDS as readonly string[]).includes(first)) return control(first as ControlCommand, rest);
  if (first === 'mcp') return mcp(rest);
  if (first === 'kube-agent-image') return kubeAgentImage(rest, (line) => process.stderr.write(`${line}\n`));
  let options;
  try {
    options = parseCliArgs(process.argv.slice(2), process.cwd(), Boolean(process.stderr.isTTY));
  } catch (err) {
    process.stderr.write(`hotreload: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (options.version) {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const renderer = new CliRenderer(options.root, options.color);
  const say = (line: string) => process.stderr.write(`${line}\n`);
  // A services file runs them all, unless the command line names one program to run.
  const oneProgram = options.layer.package !== undefined || options.layer.entry !== undefined;
  if (options.all || options.only || (!oneProgram && readServices(options.root).file)) return runServices(options, say);

  const { session, problems } = await openSession(options.root, [options.layer], {
    color: options.color,
    airTomlPath: options.airTomlPath,
    layerSources: ['command line'],
  });
  for (const problem of problems) say(renderer.problem(problem));
  if (!session) return 1;

  attach(session, options.json, renderer, say);
  const { stopped, stop } = handleSignals(session);
  // Scripts and agents reach the session from any terminal (hotreload wait, status, logs, restart, stop).
  const endpoint = await ControlEndpoint.open(session, { frontEnd: 'cli', stop }).catch((err: Error) => {
    say(
      renderer.problem({
        severity: 'warning',
        source: 'control',
        message: `no control endpoint (hotreload wait and the like will not find this session): ${err.message}`,
      }),
    );
    return undefined;
  });
  forwardInput(session);
  // `kill -USR2 <pid>`: Hot Reload: Restart from a terminal (stdin belongs to the program). SIGUSR1 is Node's debugger's.
  if (process.platform !== 'win32') process.on('SIGUSR2', () => session.restart());
  try {
    await session.start();
  } catch (err) {
    say(renderer.problem({ severity: 'error', source: 'watcher', message: (err as Error).message }));
    await session.dispose();
    await endpoint?.dispose();
    return 1;
  }
  const code = await stopped;
  await endpoint?.dispose();
  return code;
}

async function control(command: ControlCommand, argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(CONTROL_USAGE);
    return EXIT.ok;
  }
  let options;
  try {
    options = parseControlArgs(command, argv, process.cwd());
  } catch (err) {
    process.stderr.write(`hotreload ${command}: ${(err as Error).message}\n\n${CONTROL_USAGE}`);
    return EXIT.usage;
  }
  // Ctrl+C ends a follow (logs -f) cleanly; anything else it ends as usual.
  const interrupted = options.follow ? new Promise<void>((resolve) => process.once('SIGINT', () => resolve())) : undefined;
  return runControlCommand(options, undefined, interrupted);
}

/** The MCP server is a bundle of its own (dist/mcp.js, with the SDK), loaded only for `hotreload mcp`. */
function mcp(argv: string[]): Promise<number> {
  const load = createRequire(__filename);
  const { serveMcp } = load(path.join(__dirname, 'mcp.js')) as { serveMcp: (argv: string[], cwd: string, version: string) => Promise<number> };
  return serveMcp(argv, process.cwd(), VERSION);
}

function attach(session: Session, json: boolean, renderer: CliRenderer, say: (line: string) => void): void {
  new OutputFlow(session, terminalSink(renderer));
  session.events.on((event) => {
    if (event.type === 'output') return;
    if (json) {
      say(JSON.stringify(event));
      return;
    }
    if (event.type === 'state' && event.state === 'building' && session.settings.clearOnReload && process.stdout.isTTY) {
      process.stdout.write('\x1b[2J\x1b[H');
    }
    for (const line of renderer.render(event)) say(line);
  });
}

/** The program's output goes to our stdout and stderr; what they hold unwritten is the backlog. */
function terminalSink(renderer: CliRenderer): OutputSink {
  const backlog = () => process.stdout.writableLength + process.stderr.writableLength;
  return {
    write: (data, stream) => {
      (stream === 'stdout' ? process.stdout : process.stderr).write(data);
      return backlog();
    },
    note: (message) => process.stderr.write(`${renderer.problem({ severity: 'warning', source: 'output', message })}\n`),
    backlog,
    onDrain: (listener) => {
      process.stdout.on('drain', listener);
      process.stderr.on('drain', listener);
      return { dispose: () => (process.stdout.off('drain', listener), process.stderr.off('drain', listener)) };
    },
  };
}

/**
 * SIGINT/SIGTERM stop the program gracefully; a second one kills at once. `stopped` resolves with
 * the exit code; `stop` is `hotreload stop` (exit 0).
 */
function handleSignals(session: Session): { stopped: Promise<number>; stop: () => Promise<void> } {
  let stopping = false;
  let resolve!: (code: number) => void;
  const stopped = new Promise<number>((r) => (resolve = r));
  const stopWith = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await session.dispose();
    resolve(code);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      session.killAllSync();
      process.exit(130);
    }
    void stopWith(signal === 'SIGINT' ? 130 : 143);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);
  // Whatever happens, the programs do not outlive the engine.
  process.on('exit', () => session.killAllSync());
  return { stopped, stop: () => stopWith(0) };
}

/** The program keeps its stdin: what is typed goes to the running version. */
function forwardInput(session: Session): void {
  process.stdin.on('data', (chunk: Buffer) => session.writeInput(chunk));
  process.stdin.on('error', () => undefined);
}

declare const __VERSION__: string | undefined;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : 'dev';

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`hotreload: internal error: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
