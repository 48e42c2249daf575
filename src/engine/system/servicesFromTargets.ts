/**
 * Services made from what a folder has (`hotreload --all`, and VS Code's "Run them all"): every
 * Go main package and Node entry the languages find, each a service with a free port. Written out
 * as a hotreload.toml, they become a file the user edits from then on.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'smol-toml';
import { listTargets, type TargetInfo } from '../languages';
import type { ServiceSpec } from './serviceSpec';
import { SERVICES_FILE } from './servicesFile';

/** One service per program, named after its folder (or entry file), each with a free port. */
export function servicesOf(root: string, targets: readonly TargetInfo[]): ServiceSpec[] {
  const names = new Set<string>();
  return targets
    .filter((t) => !t.settings.command)
    .map((t) => {
      const base = path.basename(t.package.replace(/\.[cm]?[jt]sx?$/, '')).replace(/[^A-Za-z0-9_-]/g, '-');
      let name = /^[A-Za-z]/.test(base) ? base : `app-${base}`;
      for (let i = 2; names.has(name); i++) name = `${base}-${i}`;
      names.add(name);
      const kind = t.language === 'go' ? ('go' as const) : ('node' as const);
      const target = t.settings.package ?? t.settings.entry ?? t.package;
      return { name, kind, target, dir: root, port: 'auto' as const, dependsOn: [], ready: { kind: 'listens' as const }, settings: {} };
    });
}

/** The services as a hotreload.toml says them. */
export function servicesToml(services: readonly ServiceSpec[]): string {
  const table = Object.fromEntries(services.map((s) => [s.name, { [s.kind]: s.target, ...(s.port !== undefined ? { port: s.port } : {}) }]));
  const head = [
    '# The services Hot Reload runs together in this folder (written by "Run them all").',
    '# Each gets a free port as PORT ("auto") and the others\' addresses as <NAME>_URL;',
    '# add dependsOn = ["other"] to start one after another, and any setting (strategy, env, args).',
    '',
  ].join('\n');
  return `${head}${stringify({ services: table })}\n`;
}

/** Writes `root`'s hotreload.toml from the programs it has; never over an existing file. */
export async function writeServicesFile(root: string): Promise<{ file: string; services: string[] } | { error: string }> {
  const file = path.join(root, SERVICES_FILE);
  if (fs.existsSync(file)) return { error: `${SERVICES_FILE} exists already: edit it, or delete it to have it written again` };
  const { targets, errors } = await listTargets(root);
  const services = servicesOf(root, targets);
  if (services.length < 2) return { error: `there are not several programs to run together in ${root}${errors.length ? `: ${errors.join('; ')}` : ''}` };
  // Written whole or not at all: a temporary file renamed into place.
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, servicesToml(services), { flag: 'wx' });
  fs.renameSync(temp, file);
  return { file, services: services.map((s) => s.name) };
}
