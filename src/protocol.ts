/**
 * The custom messages between the VS Code client and the language server, in
 * one place. Diagnostics travel as ordinary LSP diagnostics and saves as
 * ordinary didSave notifications; everything else is here.
 */
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type {
  BuildProgress,
  ChangedFile,
  PlaceChoice,
  PlaceChoices,
  ReloadReport,
  ServiceInfo,
  SessionState,
  StateEvent,
  TargetInfo,
  TypedPlace,
} from './engine';

/** Identifies a workspace folder: its URI as VS Code gives it. */
interface FolderParams {
  folder: string;
}

export type { TargetInfo };

export namespace StartRequest {
  export const method = 'hotReload/start';
  export interface Params extends FolderParams {
    /** The folder's `hotReload.*` values the user set (by key, without the prefix); the engine maps them. */
    values: Record<string, unknown>;
    /** The editor's URL scheme (vscode.env.uriScheme), for links from pages to errors. */
    editorScheme?: string;
  }
  export type Result =
    | { started: true; warnings: string[]; /** With `debug`: where the debugger connects ("127.0.0.1:4711"). */ debugAddress?: string }
    | {
        started: false;
        errors: string[];
        warnings: string[];
        /** Set when a main package must be picked first. */
        targets?: TargetInfo[];
        /** Shell commands that fix an error (installing a missing tool), to offer as buttons. */
        fixes?: { label: string; command: string }[];
      };
  export const type = new RequestType<Params, Result, void>(method);
}

export namespace StopRequest {
  export const method = 'hotReload/stop';
  export const type = new RequestType<FolderParams, void, void>(method);
}

export namespace RestartRequest {
  export const method = 'hotReload/restart';
  export const type = new RequestType<FolderParams, { restarted: boolean; reason?: string }, void>(method);
}

export namespace ListTargetsRequest {
  export const method = 'hotReload/listTargets';
  export const type = new RequestType<FolderParams, { targets: TargetInfo[]; errors: string[] }, void>(method);
}

/** Where the program can run (Select Target): this machine, running containers, SSH hosts, as the engine's target table lists them. */
export namespace ListPlacesRequest {
  export const method = 'hotReload/listPlaces';
  export interface Params extends FolderParams {
    /** The folder's hotReload.* values, as for Start: they say which place is current. */
    values: Record<string, unknown>;
  }
  export type Place = PlaceChoice;
  export type Typed = TypedPlace;
  export const type = new RequestType<Params, PlaceChoices, void>(method);
}

export namespace ChangesRequest {
  export const method = 'hotReload/changes';
  export interface Params extends FolderParams {
    /** The editor's unsaved text of the folder's dirty files: compared instead of the files on disk. */
    unsaved?: { path: string; text: string }[];
  }
  export interface Result {
    running: boolean;
    version?: number;
    /** `unsaved`: compared from the editor's unsaved text, not the saved file. */
    files: (Required<ChangedFile> & { unsaved: boolean })[];
  }
  export const type = new RequestType<Params, Result, void>(method);
}

export namespace RunningContentRequest {
  export const method = 'hotReload/runningContent';
  export interface Params extends FolderParams {
    /** Absolute path of the file. */
    path: string;
  }
  /** The file as the running version was built from it; null when it did not exist. */
  export const type = new RequestType<Params, { content: string | null }, void>(method);
}

/** A folder running several services: which one a message is about (each has a terminal of its own). */
interface ServiceParam {
  service?: string;
}

export namespace InputNotification {
  export const method = 'hotReload/input';
  export interface Params extends FolderParams, ServiceParam {
    data: string;
  }
  export const type = new NotificationType<Params>(method);
}

export namespace StateNotification {
  export const method = 'hotReload/state';
  /** The engine's state event, plus 'off' for a folder with no session. */
  export interface Params extends FolderParams, Omit<StateEvent, 'type' | 'state'> {
    state: SessionState | 'off';
    /** A folder running several services (hotreload.toml): how many; `version` then counts the changes switched. */
    services?: number;
  }
  export const type = new NotificationType<Params>(method);
}

export namespace ReportNotification {
  export const method = 'hotReload/report';
  export interface Params extends FolderParams, ServiceParam {
    report: ReloadReport;
    /** The report as one log line, as the CLI prints it. */
    line: string;
  }
  export const type = new NotificationType<Params>(method);
}

export namespace OutputNotification {
  export const method = 'hotReload/output';
  export interface Params extends FolderParams, ServiceParam {
    /** The program's stdout and stderr, batched, ANSI colours kept. */
    data: string;
    /** Bytes dropped from this batch because the program printed faster than the editor can show. */
    dropped: number;
  }
  export const type = new NotificationType<Params>(method);
}

/** A crash on start summed up after the rollback, for the program's terminal (engine text; the location is an absolute path). */
export namespace CrashSummaryNotification {
  export const method = 'hotReload/crashSummary';
  export interface Params extends FolderParams {
    line: string;
  }
  export const type = new NotificationType<Params>(method);
}

export namespace LogNotification {
  export const method = 'hotReload/log';
  export interface Params extends FolderParams {
    level: 'info' | 'warn' | 'error';
    message: string;
  }
  export const type = new NotificationType<Params>(method);
}

/** How far a slow build is (downloading modules, compiling N of M packages); `done` ends it. */
export namespace ProgressNotification {
  export const method = 'hotReload/progress';
  export interface Params extends FolderParams {
    progress: BuildProgress;
  }
  export const type = new NotificationType<Params>(method);
}

/** A folder running several services (hotreload.toml): each one's state, sent whenever one changes. */
export namespace ServicesNotification {
  export const method = 'hotReload/services';
  export interface Params extends FolderParams {
    services: ServiceInfo[];
  }
  export const type = new NotificationType<Params>(method);
}

/** Start, stop, restart or debug one service of a folder's system. */
export namespace ServiceActionRequest {
  export const method = 'hotReload/serviceAction';
  export interface Params extends FolderParams {
    service: string;
    /** `debug`: run it under the debugger from now on (a Go or Node service). */
    action: 'start' | 'stop' | 'restart' | 'debug';
  }
  export type Result =
    { done: true; /** With `debug`: where the debugger connects ("127.0.0.1:4711"). */ debugAddress?: string } | { done: false; reason: string };
  export const type = new RequestType<Params, Result, void>(method);
}

/** "Run them all": writes the folder's hotreload.toml from its programs (never over one), for Start to run them as services. */
export namespace WriteServicesRequest {
  export const method = 'hotReload/writeServices';
  export type Result = { written: true; file: string; services: string[] } | { written: false; reason: string };
  export const type = new RequestType<FolderParams, Result, void>(method);
}
