/**
 * The target table's settings half: the kinds of place a program can run in, and for each kind
 * other than this machine the setting that picks it and how its value is checked. The other half
 * (processes/transports/targets.ts: the transport, how places are listed, the picker's icon) has a
 * row for each kind here, which the compiler checks; test/unit/targetTable.test.ts checks that the
 * schema's place settings are exactly the keys here.
 */
import { TARGET_PLACES } from './schema/target';
import type { SettingKey, Settings } from './types';

/** Every kind of place, in the order Select Target lists them. */
export const TARGET_KINDS = ['local', 'compose', 'container', 'ssh', 'kubernetes'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];
/** The kinds a setting picks (this machine is where the program runs when none is set). */
export type RemoteKind = Exclude<TargetKind, 'local'>;
/** The settings that name a place. */
export type TargetSettingKey = keyof typeof TARGET_PLACES;

export interface TargetSetting {
  /** The setting whose value names the place. */
  readonly key: TargetSettingKey;
  /** The kind in a sentence: "a container". */
  readonly noun: string;
  /** Why `value` cannot name a place of this kind, as the user reads it, or undefined when it can. */
  problem(value: string): string | undefined;
}

/** A name handed to a client tool (docker, ssh) as one argument: neither an option nor several words. */
function nameRule(key: TargetSettingKey, names: string, hint?: string): (value: string) => string | undefined {
  return (value) =>
    value.startsWith('-') || /\s/.test(value)
      ? `${key} ${JSON.stringify(value)} is not a ${names}: ${value.startsWith('-') ? 'it would be read as an option' : 'it has spaces'}${hint ? ` (${hint})` : ''}`
      : undefined;
}

/** `deployment/NAME` or `NAME`: a Deployment, by a name Kubernetes accepts (RFC 1123). */
function workloadProblem(value: string): string | undefined {
  const match = /^(?:(deployments?|deploy)\/)?([^/]*)$/i.exec(value);
  if (!match) return `kubernetes ${JSON.stringify(value)} is not a Deployment: write deployment/NAME or NAME (pods and other workloads are not supported yet)`;
  if (!/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(match[2]))
    return `kubernetes ${JSON.stringify(value)}: ${JSON.stringify(match[2])} is not a Kubernetes name (lower-case letters, digits, '-' and '.')`;
  return undefined;
}

const TARGET_SETTINGS = {
  compose: { key: 'composeService', noun: 'a Compose service', problem: nameRule('composeService', 'container or service name') },
  container: { key: 'container', noun: 'a container', problem: nameRule('container', 'container or service name') },
  ssh: { key: 'sshHost', noun: 'an SSH host', problem: nameRule('sshHost', 'host', 'ssh options go in sshOptions') },
  kubernetes: { key: 'kubernetes', noun: 'a Kubernetes Deployment', problem: workloadProblem },
} as const satisfies { [K in RemoteKind]: TargetSetting & { key: TargetSettingKey } };

/** The remote kinds' rows, in the table's order. */
export const TARGET_SETTING_ROWS: readonly (TargetSetting & { kind: RemoteKind })[] = TARGET_KINDS.filter((k): k is RemoteKind => k !== 'local').map(
  (kind) => ({ kind, ...TARGET_SETTINGS[kind] }),
);

/** The row of the place the settings name, or undefined for this machine (the first set, should several be). */
export function chosenTarget(settings: Pick<Settings, TargetSettingKey>): (TargetSetting & { kind: RemoteKind }) | undefined {
  return TARGET_SETTING_ROWS.find((row) => settings[row.key]);
}

/** The setting that names the place, or undefined for this machine. */
export function targetSettingKey(settings: Pick<Settings, TargetSettingKey>): TargetSettingKey | undefined {
  return chosenTarget(settings)?.key;
}

/**
 * What is wrong with the place settings: a value that cannot name a place, more than one place,
 * or a strategy that runs on this machine only with a remote place. `flagOf` names a setting as the
 * command line does ("--docker").
 */
export function targetProblems(s: Settings, flagOf: (key: SettingKey) => string): { key: SettingKey; message: string }[] {
  const problems: { key: SettingKey; message: string }[] = [];
  for (const row of TARGET_SETTING_ROWS) {
    const value = s[row.key];
    const problem = value ? row.problem(value) : undefined;
    if (problem) problems.push({ key: row.key, message: problem });
  }
  const set = TARGET_SETTING_ROWS.filter((row) => s[row.key]);
  if (set.length > 1)
    problems.push({ key: set[set.length - 1].key, message: `only one target at a time: ${set.map((row) => flagOf(row.key)).join(' and ')} are both set` });
  if (set.length === 1 && (s.strategy === 'proxy' || s.strategy === 'patch'))
    problems.push({ key: 'strategy', message: `the ${s.strategy} strategy runs on this machine only: with ${set[0].noun} use restart or handoff (or auto)` });
  return problems;
}
