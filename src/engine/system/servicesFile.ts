/**
 * Reads a system's services: `hotreload.toml` (a `[services.<name>]` table per service) or, when
 * there is none, a `Procfile` (`name: command` lines, each a plain command). Every mistake is a
 * problem naming the file, the service and what to write instead; nothing throws.
 *
 *   [services.api]
 *   go = "./cmd/api"            # or node = "gateway/server.ts", or command = "vite"
 *   dir = "."                   # its folder, relative to the file
 *   port = "auto"               # or 8081; omitted: no port
 *   dependsOn = ["db"]
 *   ready = { http = "/healthz" }   # or { listens = true }, { log = "ready" }, { started = true }
 *   strategy = "handoff"        # and any other engine setting
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { SCHEMA } from '../settings/schema';
import type { ConfigProblem } from '../settings/types';
import { checkServiceGraph } from './serviceOrder';
import type { Readiness, ServiceKind, ServiceSpec } from './serviceSpec';

export const SERVICES_FILE = 'hotreload.toml';
const PROCFILE = 'Procfile';

export interface ServicesRead {
  /** The file read (absolute); undefined when the folder has neither file. */
  file: string | undefined;
  services: ServiceSpec[];
  problems: ConfigProblem[];
}

const KINDS: readonly ServiceKind[] = ['go', 'node', 'command'];
/** Keys of a service besides the engine's settings. */
const OWN_KEYS = new Set<string>([...KINDS, 'dir', 'port', 'dependsOn', 'ready']);
const NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;

/** The services of the folder `root`: hotreload.toml, else a Procfile; none when it has neither. */
export function readServices(root: string): ServicesRead {
  const toml = path.join(root, SERVICES_FILE);
  if (fs.existsSync(toml)) return readServicesToml(toml);
  const procfile = path.join(root, PROCFILE);
  if (fs.existsSync(procfile)) return readProcfile(procfile);
  return { file: undefined, services: [], problems: [] };
}

function readServicesToml(file: string): ServicesRead {
  const source = path.basename(file);
  const problems: ConfigProblem[] = [];
  const fail = (message: string, line?: number): ServicesRead => ({ file, services: [], problems: [{ severity: 'error', source, file, line, message }] });
  let doc: Record<string, unknown>;
  try {
    doc = parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    if (err instanceof TomlError) return fail(`not valid TOML: ${err.message.split('\n')[0]}`, err.line);
    return fail(`cannot read it: ${(err as Error).message}`);
  }
  const table = doc.services;
  if (!isTable(table) || Object.keys(table).length === 0)
    return fail('it names no service: add a table per service, e.g. [services.api] with go = "./cmd/api"');
  const services: ServiceSpec[] = [];
  for (const [name, raw] of Object.entries(table)) {
    const say = (message: string) => problems.push({ severity: 'error', source: `${source} [services.${name}]`, file, message });
    const spec = readService(name, raw, path.dirname(file), say);
    if (spec) services.push(spec);
  }
  problems.push(...checkServiceGraph(services).map((message) => ({ severity: 'error' as const, source, file, message })));
  return { file, services: problems.length > 0 ? [] : services, problems };
}

function readService(name: string, raw: unknown, base: string, say: (message: string) => void): ServiceSpec | undefined {
  if (!NAME.test(name)) say(`"${name}" is not a usable name: start with a letter, then letters, digits, - or _`);
  if (!isTable(raw)) {
    say('must be a table of keys (go, node or command, and the rest)');
    return undefined;
  }
  const kinds = KINDS.filter((kind) => raw[kind] !== undefined);
  if (kinds.length !== 1) {
    say(
      kinds.length === 0
        ? 'names nothing to run: set go = "./cmd/<name>", node = "<entry file>" or command = "<shell command>"'
        : `sets ${kinds.join(' and ')}: set exactly one`,
    );
    return undefined;
  }
  const kind = kinds[0];
  const target = raw[kind];
  if (typeof target !== 'string' || target.trim() === '') {
    say(`${kind} must be a non-empty string`);
    return undefined;
  }
  const dir = path.resolve(base, typeof raw.dir === 'string' ? raw.dir : '.');
  if (!fs.existsSync(dir)) say(`dir ${JSON.stringify(raw.dir)} does not exist (relative to the file's folder)`);
  const port = readPort(raw.port, say);
  const dependsOn = raw.dependsOn === undefined ? [] : raw.dependsOn;
  if (!Array.isArray(dependsOn) || dependsOn.some((d) => typeof d !== 'string')) say('dependsOn must be a list of service names, e.g. ["db"]');
  const ready = readReadiness(raw.ready, port, say);
  const settings: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (OWN_KEYS.has(key)) continue;
    if (Object.prototype.hasOwnProperty.call(SCHEMA, key)) settings[key] = value;
    else say(`unknown key "${key}": a service takes go, node or command, dir, port, dependsOn, ready, and the engine's settings (docs/settings.md)`);
  }
  if (!ready) return undefined;
  return { name, kind, target, dir, port, dependsOn: Array.isArray(dependsOn) ? (dependsOn as string[]) : [], ready, settings: settings };
}

function readPort(raw: unknown, say: (message: string) => void): ServiceSpec['port'] {
  if (raw === undefined) return undefined;
  if (raw === 'auto') return 'auto';
  if (typeof raw === 'number' && Number.isInteger(raw) && raw > 0 && raw < 65536) return raw;
  say(`port must be a port number (1-65535) or "auto", not ${JSON.stringify(raw)}`);
  return undefined;
}

function readReadiness(raw: unknown, port: ServiceSpec['port'], say: (message: string) => void): Readiness | undefined {
  if (raw === undefined) return port === undefined ? { kind: 'started' } : { kind: 'listens' };
  const usage = 'ready must be one of { listens = true }, { http = "/healthz" }, { log = "<regular expression>" } or { started = true }';
  if (!isTable(raw) || Object.keys(raw).length !== 1) {
    say(usage);
    return undefined;
  }
  const needsPort = (readiness: Readiness) => {
    if (port !== undefined) return readiness;
    say(`ready = { ${readiness.kind} … } needs a port: set port = "auto" or a number`);
    return undefined;
  };
  if (raw.listens === true) return needsPort({ kind: 'listens' });
  if (raw.started === true) return { kind: 'started' };
  if (typeof raw.http === 'string' && raw.http.startsWith('/')) return needsPort({ kind: 'http', path: raw.http });
  if (typeof raw.log === 'string' && raw.log !== '') {
    try {
      return { kind: 'log', pattern: new RegExp(raw.log) };
    } catch (err) {
      say(`ready.log is not a regular expression: ${(err as Error).message}`);
      return undefined;
    }
  }
  say(usage);
  return undefined;
}

/** A Procfile, as foreman reads it: `name: command` per line, `#` comments; each a plain command. */
function readProcfile(file: string): ServicesRead {
  const source = path.basename(file);
  const problems: ConfigProblem[] = [];
  const services: ServiceSpec[] = [];
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  lines.forEach((text, i) => {
    if (text.trim() === '' || text.trim().startsWith('#')) return;
    const match = /^([A-Za-z0-9_-]+):\s*(.+)$/.exec(text.trim());
    if (!match) {
      problems.push({ severity: 'error', source, file, line: i + 1, message: `not a "name: command" line: ${text.trim()}` });
      return;
    }
    const [, name, command] = match;
    services.push({
      name,
      kind: 'command',
      target: command,
      dir: path.dirname(file),
      port: undefined,
      dependsOn: [],
      ready: { kind: 'started' },
      settings: {},
    });
  });
  problems.push(...checkServiceGraph(services).map((message) => ({ severity: 'error' as const, source, file, message })));
  return { file, services: problems.length > 0 ? [] : services, problems };
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
