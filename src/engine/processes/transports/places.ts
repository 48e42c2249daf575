/**
 * Where a program can run, as a front end offers the choice (Select Target): every row of the
 * target table lists its places (this machine, the folder's Compose services, the running
 * containers, the hosts of the user's SSH config). Asked at the moment of choosing, never cached:
 * containers come and go.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { chosenTarget, TARGET_SETTING_ROWS, type TargetKind, type TargetSettingKey } from '../../settings/targets';
import type { Settings } from '../../settings/types';
import { runningContainers, type RunningContainer } from './containers';
import type { KubeScope } from './kube/kubectl';
import type { Place, PlaceSettings } from './place';
import { TARGET_ROWS, targetRow, type Discovery } from './targets';

export type { Place, PlaceSettings } from './place';

/** Where Deployments are listed: the folder's kubeNamespace and kubeContext, else kubectl's current ones. */
type KubePlaceSettings = Partial<Pick<Settings, 'kubeNamespace' | 'kubeContext'>>;

interface PlaceList {
  places: Place[];
  /** Why a kind of place could not be listed ("Docker: not reachable …"), one sentence each. */
  notes: string[];
}

/** Where the tools that list places are: the `docker` client and the SSH config (tests give others). */
export interface PlaceTools {
  docker?: string;
  sshConfig?: string;
  kubectl?: string;
}

/** The places for a project folder, kind by kind in the table's order. */
async function listPlaces(root: string, options: PlaceTools, kube: KubeScope): Promise<PlaceList> {
  let containers: Promise<RunningContainer[]> | undefined;
  const discovery: Discovery = {
    root,
    sshConfig: options.sshConfig ?? path.join(os.homedir(), '.ssh', 'config'),
    containers: () => (containers ??= runningContainers(options.docker ?? 'docker')),
    kube: { ...kube, kubectl: options.kubectl },
  };
  const listed = await Promise.all(
    TARGET_ROWS.map((row) =>
      row.discover(discovery).then(
        (places): { places: Place[]; note?: string } => ({ places }),
        (err: unknown) => ({ places: [], note: `${row.lister ?? row.kind}: ${(err as Error).message}` }),
      ),
    ),
  );
  // Kinds listed by one tool (containers and services, by docker) fail with one note.
  const notes = [...new Set(listed.flatMap((l) => (l.note === undefined ? [] : [l.note])))];
  return { places: listed.flatMap((l) => l.places), notes };
}

/** The settings a place stands for: its kind's setting set to its name, the other place settings cleared. */
export function placeSettings(place: Pick<Place, 'kind' | 'label'>): PlaceSettings {
  return Object.fromEntries(TARGET_SETTING_ROWS.map((row) => [row.key, row.kind === place.kind ? place.label : undefined]));
}

/** A place as a front end lists it: whether the folder's settings put the program there, the settings that pick it, and how to show it. */
export type PlaceChoice = Place & { current: boolean; settings: PlaceSettings; icon: string; tag?: string };

/** A kind of place the user may type in (an SSH host): how to ask, and the setting the answer goes in (the other place settings cleared). */
export interface TypedPlace {
  kind: TargetKind;
  label: string;
  description: string;
  title: string;
  prompt: string;
  key: TargetSettingKey;
  settings: PlaceSettings;
}

export interface PlaceChoices {
  places: PlaceChoice[];
  notes: string[];
  typed: TypedPlace[];
}

/** The places for a folder, the one its settings name marked current (a target no longer listed is kept, so it shows). */
export async function placeChoices(root: string, chosen: PlaceSettings & KubePlaceSettings, options: PlaceTools = {}): Promise<PlaceChoices> {
  const { places, notes } = await listPlaces(root, options, { namespace: chosen.kubeNamespace, context: chosen.kubeContext });
  const row = chosenTarget(chosen);
  const current: { kind: TargetKind; label?: string } = { kind: row?.kind ?? 'local', label: row ? chosen[row.key] : undefined };
  const isCurrent = (p: Place) => p.kind === current.kind && (current.label === undefined || p.label === current.label);
  if (current.label !== undefined && !places.some(isCurrent))
    places.push({ kind: current.kind, label: current.label, detail: targetRow(current.kind).unlisted });
  return {
    places: places.map((p) => {
      const { icon, tag } = targetRow(p.kind);
      return { ...p, current: isCurrent(p), settings: placeSettings(p), icon, ...(tag === undefined ? {} : { tag }) };
    }),
    notes,
    typed: TARGET_SETTING_ROWS.flatMap((setting) => {
      const typed = targetRow(setting.kind).typed;
      return typed ? [{ kind: setting.kind, ...typed, key: setting.key, settings: placeSettings({ kind: 'local', label: '' }) }] : [];
    }),
  };
}
