/**
 * `hotreload` in a folder with a services file (or with --all): every service in one terminal,
 * each line prefixed with its name in a colour of its own (as foreman and compose print), the
 * system's own lines unprefixed; one line per service with its address once it is ready.
 */
import { listTargets, openSystem, servicesOf, type ServiceSpecInput, type ServiceSystem } from '../engine';
import type { CliOptions } from './args';
import { CliRenderer } from './render';

const COLOURS = ['36', '33', '35', '32', '34', '31'];

export async function runServices(options: CliOptions, say: (line: string) => void): Promise<number> {
  const renderer = new CliRenderer(options.root, options.color);
  const services = options.all ? await everyTarget(options.root, say) : undefined;
  if (services && services.length === 0) return 1;
  const { system, problems } = await openSystem(options.root, {
    only: options.only,
    layers: [options.layer],
    layerSources: ['command line'],
    color: options.color,
    services,
  });
  for (const problem of problems) say(renderer.problem(problem));
  if (!system) return 1;
  const width = Math.max(...system.services.map((s) => s.spec.name.length));
  const prefix = (name: string, i: number) => paint(options.color, `${name.padEnd(width)} |`, COLOURS[i % COLOURS.length]);
  const prefixes = new Map(system.services.map((s, i) => [s.spec.name, prefix(s.spec.name, i)]));
  const partial = new Map<string, string>();
  system.events.on(({ service, event }) => {
    if (options.json) return say(JSON.stringify({ service, ...event }));
    const head = service === undefined ? paint(options.color, 'hotreload:', '1') : prefixes.get(service)!;
    if (event.type === 'output') {
      // Whole lines only, each with its prefix: two services' output never mix within a line.
      const text = (partial.get(service!) ?? '') + event.data;
      const lines = text.split('\n');
      partial.set(service!, lines.pop() ?? '');
      for (const line of lines) (event.stream === 'stdout' ? process.stdout : process.stderr).write(`${head} ${line}\n`);
      return;
    }
    if (event.type === 'progress') return;
    for (const line of service === undefined && event.type === 'log' ? [event.message] : renderer.render(event)) say(`${head} ${line}`);
  });
  const stopped = stopOnSignals(system);
  const started = await system.start();
  if (started.ready.length === 0) {
    await system.dispose();
    return 1;
  }
  return stopped;
}

/** `--all`: every main package and Node entry the folder has, each with a free port. */
async function everyTarget(root: string, say: (line: string) => void): Promise<ServiceSpecInput[]> {
  const { targets, errors } = await listTargets(root);
  for (const error of errors) say(`hotreload: ${error}`);
  const services = servicesOf(root, targets);
  if (services.length === 0) say(`hotreload: --all found no main package or Node entry in ${root}`);
  return services;
}

function stopOnSignals(system: ServiceSystem): Promise<number> {
  return new Promise((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        system.killAllSync();
        process.exit(130);
      }
      stopping = true;
      void system.dispose().then(() => resolve(signal === 'SIGINT' ? 130 : 143));
    };
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);
    process.on('exit', () => system.killAllSync());
  });
}

function paint(color: boolean, text: string, code: string | undefined): string {
  return color && code ? `\x1b[${code}m${text}\x1b[0m` : text;
}
