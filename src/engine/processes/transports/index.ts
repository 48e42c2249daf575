/**
 * The place the settings name, reached: whether it is remote, its label, and its transport, all
 * read from the target table (targets.ts and its settings half, settings/targets.ts).
 */
import { chosenTarget, type TargetSettingKey } from '../../settings/targets';
import type { Settings } from '../../settings/types';
import { targetRow } from './targets';
import type { Transport } from './transport';

export type { Transport } from './transport';

/** Whether the settings name a target other than this machine. */
export function isRemote(settings: Pick<Settings, TargetSettingKey>): boolean {
  return chosenTarget(settings) !== undefined;
}

/** The label the status bar shows for a remote target ("web-1"), before it is reached. */
export function targetLabel(settings: Pick<Settings, TargetSettingKey>): string | undefined {
  const row = chosenTarget(settings);
  return row && settings[row.key];
}

/** The transport the settings ask for (a Compose service is looked up when first needed). */
export function transportFor(settings: Settings): () => Promise<Transport> {
  const row = chosenTarget(settings);
  return targetRow(row?.kind ?? 'local').transport((row && settings[row.key]) ?? '', settings);
}

/** Whether the program's ports are reached through a forward the engine keeps (a pod), not directly. */
export function forwardsPorts(settings: Pick<Settings, TargetSettingKey>): boolean {
  const row = chosenTarget(settings);
  return row !== undefined && targetRow(row.kind).forwardsPorts === true;
}
