import { openSession, OutputFlow, type OutputSink, type Session } from '../engine';
import { CliRenderer } from './render';
import { parseCliArgs, USAGE } from './args';

/** `hotreload`: the engine in a terminal. Program output goes through untouched; the engine's lines are marked. */
async function main(): Promise<number> {
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

  const { session, problems } = await openSession(options.root, [options.layer], {
    color: options.color,
    airTomlPath: options.airTomlPath,
    layerSources: ['command line'],
  });
  for (const problem of problems) say(renderer.problem(problem));
  if (!session) return 1;

  attach(session, options.json, renderer, say);
  const stopped = handleSignals(session);
  forwardInput(session);
  // `kill -USR2 <pid>`: Hot Reload: Restart from a terminal (stdin belongs to the program). SIGUSR1 is Node's debugger's.
  if (process.platform !== 'win32') process.on('SIGUSR2', () => session.restart());
  try {
    await session.start();
  } catch (err) {
    say(renderer.problem({ severity: 'error', source: 'watcher', message: (err as Error).message }));
    await session.dispose();
    return 1;
  }
  return stopped;
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

/** SIGINT/SIGTERM stop the program gracefully; a second one kills at once. Resolves with the exit code. */
function handleSignals(session: Session): Promise<number> {
  return new Promise((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        session.killAllSync();
        process.exit(130);
      }
      stopping = true;
      void session.dispose().then(() => resolve(signal === 'SIGINT' ? 130 : 143));
    };
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);
    // Whatever happens, the programs do not outlive the engine.
    process.on('exit', () => session.killAllSync());
  });
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
