/**
 * Makes a system from a folder's services file: each service's port (a free one for "auto"), the
 * environment every service gets (its own PORT, and `<NAME>_PORT` and `<NAME>_URL` of each service
 * with a port), its settings (the front end's layers, then the system's, then the service's own),
 * and a session for each Go or Node service (not watching: the system does; its own work dir;
 * sharing its language's build group) or a command service for a plain command.
 */
import * as path from 'node:path';
import type { BuildGroup, Language } from '../languages';
import { resolveSettings } from '../session/resolveSettings';
import { Session } from '../session/session';
import { defaultWorkDir } from '../settings/workDir';
import type { ConfigProblem, PartialSettings } from '../settings/types';
import { freeLoopbackPort } from '../strategies/probes';
import { CommandService } from './commandService';
import { ServiceBarrier, type Service } from './service';
import { dependentsOf, startOrder } from './serviceOrder';
import { readServices } from './servicesFile';
import { envName, type ServiceSpec } from './serviceSpec';
import { ServiceSystem } from './system';

export interface SystemOptions {
  /** Run only these services (and the services they depend on). */
  only?: readonly string[];
  /** The front end's settings layers (every service gets them), and their names for problems. */
  layers?: PartialSettings[];
  layerSources?: string[];
  /** Programs keep colour although their output is piped. */
  color?: boolean;
  /** The services, when not read from the folder's file (`hotreload --all`). */
  services?: ServiceSpec[];
}

export interface OpenedSystem {
  system?: ServiceSystem;
  problems: ConfigProblem[];
  /** The services file read. */
  file?: string;
}

/** Reads `root`'s services file and makes the system, without starting it. */
export async function openSystem(root: string, options: SystemOptions = {}): Promise<OpenedSystem> {
  const base = path.resolve(root);
  const read = options.services ? { file: undefined, services: options.services, problems: [] } : readServices(base);
  if (!options.services && !read.file)
    return { problems: [{ severity: 'error', source: 'services', message: `${base} has no hotreload.toml or Procfile naming its services` }] };
  const problems = [...read.problems];
  if (problems.some((p) => p.severity === 'error')) return { problems, file: read.file };
  const chosen = choose(read.services, options.only ?? [], problems);
  if (!chosen) return { problems, file: read.file };
  const specs = startOrder(chosen);
  const ports = new Map<string, number>();
  for (const spec of specs) if (spec.port !== undefined) ports.set(spec.name, spec.port === 'auto' ? await freeLoopbackPort() : spec.port);
  const shared: Record<string, string> = {};
  for (const [name, port] of ports) {
    shared[`${envName(name)}_PORT`] = String(port);
    shared[`${envName(name)}_URL`] = `http://127.0.0.1:${port}`;
  }
  const groups = new Map<string, BuildGroup | undefined>();
  const services: Service[] = [];
  for (const spec of specs) {
    const port = ports.get(spec.name);
    const barrier = new ServiceBarrier(spec.name);
    if (spec.kind === 'command') {
      const env = { ...shared, ...(port !== undefined ? { PORT: String(port) } : {}), ...(spec.settings.env ?? {}) };
      const command = () => new CommandService(spec, env, { signal: 'SIGTERM', graceMs: 5000 });
      const make = (o: { debug?: boolean } = {}) =>
        Promise.resolve(o.debug ? { problems: [`${spec.name} is a plain command: only Go and Node services run under a debugger`] } : { command: command() });
      services.push({ spec, port, barrier, group: undefined, state: 'waiting', make, command: command() });
      continue;
    }
    const layers = [...(options.layers ?? []), serviceLayer(base, spec, port, shared), spec.settings];
    const sources = [
      ...(options.layerSources ?? (options.layers ?? []).map((_, i) => `settings layer ${i + 1}`)),
      'services',
      `${path.basename(read.file ?? 'services')} [services.${spec.name}]`,
    ];
    const resolved = await resolveSettings(spec.dir, layers, { layerSources: sources, ignoreAirToml: true });
    problems.push(...resolved.problems.map((p) => ({ ...p, message: `${spec.name}: ${p.message}` })));
    if (!resolved.settings || !resolved.language) continue;
    const group = groupOf(resolved.language, groups);
    const { settings, language } = resolved;
    const session = (chosen: typeof settings, lang: typeof language) =>
      new Session(chosen, { language: lang }, { watch: false, barrier, buildGroup: group, color: options.color });
    const make = async (o: { debug?: boolean } = {}) => {
      // A copy: what a language keeps per session (Node's bundler) is keyed by the settings object, and the old session's is disposed.
      if (!o.debug) return { session: session({ ...settings }, language) };
      const again = await resolveSettings(spec.dir, [...layers, { debug: true }], { layerSources: [...sources, 'debug'], ignoreAirToml: true });
      if (!again.settings || !again.language) return { problems: again.problems.filter((p) => p.severity === 'error').map((p) => `${p.source}: ${p.message}`) };
      return { session: session(again.settings, again.language) };
    };
    services.push({ spec, port, barrier, group, state: 'waiting', make, session: session(settings, language) });
  }
  if (problems.some((p) => p.severity === 'error')) {
    for (const s of services) await (s.session?.dispose() ?? s.command?.dispose());
    return { problems, file: read.file };
  }
  return { system: new ServiceSystem(base, services), problems, file: read.file };
}

/** The chosen services and everything they depend on; undefined (with a problem) when a name is unknown. */
function choose(services: ServiceSpec[], only: readonly string[], problems: ConfigProblem[]): ServiceSpec[] | undefined {
  if (only.length === 0) return services;
  const names = new Set(services.map((s) => s.name));
  const unknown = only.filter((name) => !names.has(name));
  if (unknown.length > 0) {
    problems.push({ severity: 'error', source: '--only', message: `no service named ${unknown.join(', ')}: the services are ${[...names].join(', ')}` });
    return undefined;
  }
  const wanted = new Set(only);
  // What they depend on runs too: everything a wanted service depends on, directly or not.
  for (const s of services) for (const name of only) if (dependentsOf(services, s.name).includes(name)) wanted.add(s.name);
  return services.filter((s) => wanted.has(s.name));
}

/** The settings the system gives a service: what to build, its folder, its port, the others' addresses, its own work dir. */
function serviceLayer(root: string, spec: ServiceSpec, port: number | undefined, shared: Record<string, string>): PartialSettings {
  const proxy = spec.settings.strategy === 'proxy';
  return {
    language: spec.kind === 'go' ? 'go' : 'node',
    ...(spec.kind === 'go' ? { package: spec.target } : { entry: spec.target }),
    // The proxy strategy gives each version a fresh PORT and holds the service's port itself.
    env: { ...shared, ...(port !== undefined && !proxy ? { PORT: String(port) } : {}) },
    ...(port !== undefined && proxy ? { proxyPort: port } : {}),
    workDir: path.join(defaultWorkDir(root), 'services', spec.name),
  };
}

function groupOf(language: Language, groups: Map<string, BuildGroup | undefined>): BuildGroup | undefined {
  if (!groups.has(language.id)) groups.set(language.id, language.createBuildGroup?.());
  return groups.get(language.id);
}
