import type { TargetKind, TargetSettingKey } from '../../settings/targets';

/**
 * A place a program can run, as a front end offers the choice (Select Target): this machine, a
 * running container, a service of the folder's Compose project, a host of the user's SSH config.
 */
export interface Place<K extends TargetKind = TargetKind> {
  kind: K;
  /** Its name, which is also the value of the setting that picks it ("web-1", "build-box"). */
  label: string;
  /** What else is known of it ("shop/web · shop-web · Up 3 minutes"). */
  detail?: string;
}

/** The settings that put the program at a place: its kind's setting set, every other place setting cleared. */
export type PlaceSettings = { [K in TargetSettingKey]?: string };
