import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTool } from './cli';

/**
 * Where a program can run, as a front end offers the choice (Select Target): this machine, the
 * containers the Docker Engine reports (their Compose service too), and the hosts named in the
 * user's SSH config. Asked at the moment of choosing, never cached: containers come and go.
 */
export type Place =
  | { kind: 'local'; label: string }
  | { kind: 'container'; label: string; detail: string }
  /** A service of the folder's own Compose project: follows the service when its container is recreated. */
  | { kind: 'compose'; label: string; detail: string }
  | { kind: 'ssh'; label: string; detail: string };

/** The settings that put the program at a place (the other target settings are cleared). */
export type PlaceSettings = { container?: string; composeService?: string; sshHost?: string };

export interface PlaceList {
  places: Place[];
  /** Why a kind of place could not be listed ("Docker: not reachable …"), one sentence each. */
  notes: string[];
}

interface DockerPsRow {
  Names?: string;
  Image?: string;
  Status?: string;
  Labels?: string;
}

/** The places for a project folder (whose name is its Compose project's, unless COMPOSE_PROJECT_NAME says otherwise). */
export async function listPlaces(root: string, options: { docker?: string; sshConfig?: string } = {}): Promise<PlaceList> {
  const notes: string[] = [];
  const places: Place[] = [{ kind: 'local', label: 'This machine' }];
  try {
    places.push(...(await runningContainers(options.docker ?? 'docker', composeProject(root))));
  } catch (err) {
    notes.push(`Docker: ${(err as Error).message}`);
  }
  places.push(...sshHosts(options.sshConfig ?? path.join(os.homedir(), '.ssh', 'config')));
  return { places, notes };
}

/** The settings a place stands for: one target setting set, the others cleared. */
export function placeSettings(place: Place): PlaceSettings {
  switch (place.kind) {
    case 'local':
      return { container: undefined, composeService: undefined, sshHost: undefined };
    case 'container':
      return { container: place.label, composeService: undefined, sshHost: undefined };
    case 'compose':
      return { container: undefined, composeService: place.label, sshHost: undefined };
    case 'ssh':
      return { container: undefined, composeService: undefined, sshHost: place.label };
  }
}

/** The Compose project a folder's `docker compose up` makes (as Compose names it). */
export function composeProject(root: string): string {
  return (
    process.env.COMPOSE_PROJECT_NAME ??
    path
      .basename(root)
      .toLowerCase()
      .replace(/[^a-z0-9_-]/g, '')
  );
}

async function runningContainers(docker: string, ownProject: string): Promise<Place[]> {
  const out = await runTool(docker, ['ps', '--format', '{{json .}}'], { timeoutMs: 10_000 });
  const places: Place[] = [];
  const services = new Map<string, string>();
  for (const line of out.split('\n')) {
    if (!line.trim()) continue;
    let row: DockerPsRow;
    try {
      row = JSON.parse(line) as DockerPsRow;
    } catch {
      continue;
    }
    if (!row.Names) continue;
    const labels = parseLabels(row.Labels ?? '');
    const project = labels.get('com.docker.compose.project');
    const service = labels.get('com.docker.compose.service');
    const name = row.Names.split(',')[0];
    const detail = [project && service ? `${project}/${service}` : undefined, row.Image, row.Status].filter(Boolean).join(' · ');
    places.push({ kind: 'container', label: name, detail });
    if (project === ownProject && service && !services.has(service)) services.set(service, `Compose service · container ${name}`);
  }
  places.sort((a, b) => a.label.localeCompare(b.label));
  return [...[...services].map(([label, detail]) => ({ kind: 'compose' as const, label, detail })), ...places];
}

/** `docker ps` prints labels as "k=v,k2=v2". */
function parseLabels(text: string): Map<string, string> {
  const labels = new Map<string, string>();
  for (const pair of text.split(',')) {
    const eq = pair.indexOf('=');
    if (eq > 0) labels.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  return labels;
}

/** The concrete `Host` names of an SSH config (patterns such as `*` or `!x` are not hosts). */
export function sshHosts(configFile: string): Extract<Place, { kind: 'ssh' }>[] {
  let text: string;
  try {
    text = fs.readFileSync(configFile, 'utf8');
  } catch {
    return [];
  }
  const hosts = new Map<string, string>();
  let current: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const [keyword, ...rest] = line.split(/\s+|=/).filter(Boolean);
    const key = keyword.toLowerCase();
    if (key === 'host') {
      current = rest.filter((h) => !/[*?!]/.test(h));
      for (const h of current) if (!hosts.has(h)) hosts.set(h, 'from ~/.ssh/config');
    } else if (key === 'match') {
      current = [];
    } else if (key === 'hostname' && rest[0]) {
      for (const h of current) hosts.set(h, `${rest[0]} · from ~/.ssh/config`);
    }
  }
  return [...hosts].map(([label, detail]) => ({ kind: 'ssh' as const, label, detail }));
}

/** A place as a front end lists it: whether it is where the folder's settings put the program, and the settings that pick it. */
export type PlaceChoice = Place & { current: boolean; settings: PlaceSettings };

/** The places for a folder, the one its settings name marked current (a target no longer listed is kept, so it shows). */
export async function placeChoices(
  root: string,
  chosen: PlaceSettings,
  options: { docker?: string; sshConfig?: string } = {},
): Promise<{ places: PlaceChoice[]; notes: string[] }> {
  const { places, notes } = await listPlaces(root, options);
  const isCurrent = (p: Place) =>
    chosen.composeService
      ? p.kind === 'compose' && p.label === chosen.composeService
      : chosen.container
        ? p.kind === 'container' && p.label === chosen.container
        : chosen.sshHost
          ? p.kind === 'ssh' && p.label === chosen.sshHost
          : p.kind === 'local';
  if (!places.some(isCurrent)) {
    if (chosen.composeService) places.push({ kind: 'compose', label: chosen.composeService, detail: 'not running' });
    else if (chosen.container) places.push({ kind: 'container', label: chosen.container, detail: 'not running' });
    else if (chosen.sshHost) places.push({ kind: 'ssh', label: chosen.sshHost, detail: 'the current setting' });
  }
  return { places: places.map((p) => ({ ...p, current: isCurrent(p), settings: placeSettings(p) })), notes };
}
