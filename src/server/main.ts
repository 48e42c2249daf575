/**
 * The language server: the engine behind LSP. It runs as its own Node process
 * so watching, building and program output never load the extension host.
 */
import {
  createConnection,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ProposedFeatures,
  TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import {
  ControlEndpoint,
  editorBufferGlobs,
  listTargets,
  openSession,
  openSystem,
  placeChoices,
  readServices,
  toEngineSettings,
  writeServicesFile,
  type SettingKey,
} from '../engine';
import {
  ChangesRequest,
  InputNotification,
  ListPlacesRequest,
  LogNotification,
  ListTargetsRequest,
  RestartRequest,
  RunningContentRequest,
  ServiceActionRequest,
  StartRequest,
  StopRequest,
  WriteServicesRequest,
} from '../protocol';
import { EditorBuffers } from './editorBuffers';
import { FolderSession } from './folderSession';
import { FolderSystem } from './folderSystem';

const connection = createConnection(ProposedFeatures.all);
const sessions = new Map<string, FolderSession>();
/** Folders running several services (a hotreload.toml). */
const systems = new Map<string, FolderSystem>();
const buffers = new EditorBuffers((file, text) => {
  for (const s of sessions.values()) if (s.session.owns(file)) s.session.editorBuffer(file, text);
});
/** Whether the client lets the server say which files' edits it wants (only the ones builds read). */
let registersSync = false;

connection.onInitialize(({ capabilities }) => {
  registersSync = capabilities.textDocument?.synchronization?.dynamicRegistration === true;
  return {
    capabilities: {
      // An editor save of any file reloads at once, with no watcher debounce. The unsaved text of the files
      // builds read (Go) comes too, for builds before the save: registered for those files alone when the
      // client can, else for every file (the engine ignores the others).
      textDocumentSync: {
        openClose: !registersSync,
        change: registersSync ? TextDocumentSyncKind.None : TextDocumentSyncKind.Incremental,
        save: { includeText: false },
      },
    },
    serverInfo: { name: 'hot-reload' },
  };
});

connection.onInitialized(() => {
  if (!registersSync) return;
  const documentSelector = editorBufferGlobs().map((pattern) => ({ scheme: 'file', pattern }));
  void connection.client.register(DidOpenTextDocumentNotification.type, { documentSelector });
  void connection.client.register(DidChangeTextDocumentNotification.type, { documentSelector, syncKind: TextDocumentSyncKind.Incremental });
  void connection.client.register(DidCloseTextDocumentNotification.type, { documentSelector });
});

connection.onDidOpenTextDocument(({ textDocument: d }) => buffers.open(d.uri, d.languageId, d.version, d.text));
connection.onDidChangeTextDocument(({ textDocument, contentChanges }) => buffers.change(textDocument.uri, textDocument.version, contentChanges));
connection.onDidCloseTextDocument(({ textDocument }) => buffers.close(textDocument.uri));

connection.onRequest(StartRequest.type, async ({ folder, values, editorScheme }): Promise<StartRequest.Result> => {
  await stopFolder(folder);
  const root = URI.parse(folder).fsPath;
  const settings = toEngineSettings((key: SettingKey) => values[key], root);
  // A services file runs them all, unless the settings name one program.
  if (!settings.package && !settings.entry && !settings.command && readServices(root).file) return startSystem(folder, root, settings);
  const { session, problems } = await openSession(root, [settings], { color: true, layerSources: ['hotReload settings'], editorScheme });
  const warnings = problems.filter((p) => p.severity === 'warning').map((p) => `${p.source}: ${p.message}`);
  if (!session) {
    const errors = problems.filter((p) => p.severity === 'error').map((p) => `${p.source}: ${p.message}`);
    const targets = settings.package || settings.entry || settings.command ? undefined : await listTargets(root);
    const fixes = problems.flatMap((p) => (p.fix ? [p.fix] : []));
    return {
      started: false,
      errors,
      warnings,
      // Several programs, or package.json scripts to run a folder with no entry by: the user picks.
      targets: targets && (targets.targets.length > 1 || targets.targets.some((t) => t.settings.command)) ? targets.targets : undefined,
      ...(fixes.length ? { fixes } : {}),
    };
  }
  // The session may end by itself (a debugger's Stop, `hotreload stop`): the folder is then off.
  const endedByItself = () => void stopFolder(folder, { endedByItself: true });
  // Scripts and agents reach the session from any terminal (hotreload wait, status, logs, restart, stop).
  const control = await ControlEndpoint.open(session, { frontEnd: 'vscode', stop: endedByItself }).catch((err: Error) => {
    void connection.sendNotification(LogNotification.type, {
      folder,
      level: 'warn',
      message: `no control endpoint (hotreload wait and the language model tools will not find this folder): ${err.message}`,
    });
    return undefined;
  });
  const folderSession = new FolderSession(folder, session, connection, { onStopped: endedByItself, control });
  sessions.set(folder, folderSession);
  try {
    await session.start();
    buffers.forEach((file, text) => session.editorBuffer(file, text));
  } catch (err) {
    sessions.delete(folder);
    await folderSession.dispose();
    return { started: false, errors: [(err as Error).message], warnings };
  }
  return { started: true, warnings, ...(session.debugAddress ? { debugAddress: session.debugAddress } : {}) };
});

connection.onRequest(StopRequest.type, async ({ folder }) => {
  await stopFolder(folder);
});

/** A folder with a services file: every service, in dependency order. */
async function startSystem(folder: string, root: string, settings: ReturnType<typeof toEngineSettings>): Promise<StartRequest.Result> {
  const { system, problems } = await openSystem(root, { layers: [settings], layerSources: ['hotReload settings'], color: true });
  const say = (severity: 'error' | 'warning') => problems.filter((p) => p.severity === severity).map((p) => `${p.source}: ${p.message}`);
  if (!system) return { started: false, errors: say('error'), warnings: say('warning') };
  const folderSystem = new FolderSystem(folder, system, connection);
  systems.set(folder, folderSystem);
  const started = await system.start();
  if (started.ready.length === 0) {
    systems.delete(folder);
    await folderSystem.dispose();
    return { started: false, errors: system.services.map((s) => `${s.spec.name}: ${s.detail ?? s.state}`), warnings: say('warning') };
  }
  return { started: true, warnings: say('warning') };
}

connection.onRequest(ServiceActionRequest.type, async ({ folder, service, action }): Promise<ServiceActionRequest.Result> => {
  const system = systems.get(folder)?.system;
  if (!system?.service(service)) return { done: false, reason: `no service ${service} runs in this folder` };
  if (action === 'debug') {
    const debugged = await system.debugService(service);
    return 'address' in debugged ? { done: true, debugAddress: debugged.address } : { done: false, reason: debugged.error };
  }
  if (action === 'stop') await system.stopService(service);
  else if (action === 'start') await system.startService(service);
  else await system.restartService(service);
  return { done: true };
});

connection.onRequest(RestartRequest.type, ({ folder }) => {
  const system = systems.get(folder)?.system;
  if (system) {
    for (const s of system.services) void system.restartService(s.spec.name);
    return { restarted: true };
  }
  const s = sessions.get(folder);
  if (!s) return { restarted: false, reason: 'Hot Reload is not running in this folder' };
  s.session.restart();
  return { restarted: true };
});

connection.onRequest(WriteServicesRequest.type, async ({ folder }): Promise<WriteServicesRequest.Result> => {
  const written = await writeServicesFile(URI.parse(folder).fsPath);
  return 'file' in written ? { written: true, ...written } : { written: false, reason: written.error };
});

connection.onRequest(ListTargetsRequest.type, ({ folder }) => listTargets(URI.parse(folder).fsPath));

connection.onRequest(ListPlacesRequest.type, ({ folder, values }) => {
  const root = URI.parse(folder).fsPath;
  return placeChoices(
    root,
    toEngineSettings((key: SettingKey) => values[key], root),
  );
});

connection.onRequest(ChangesRequest.type, ({ folder, unsaved }) => {
  const s = sessions.get(folder);
  if (!s) return { running: false, files: [] };
  const buffers = new Map((unsaved ?? []).map((b) => [b.path, b.text]));
  return {
    running: true,
    version: s.session.currentVersion,
    files: s.session.changes(buffers).map((c) => ({ path: c.path, kind: c.kind, added: c.added, removed: c.removed, unsaved: c.unsaved === true })),
  };
});

connection.onRequest(RunningContentRequest.type, ({ folder, path }) => {
  const content = sessions.get(folder)?.session.runningContent(path);
  return { content: content === undefined ? null : content.toString('utf8') };
});

connection.onNotification(InputNotification.type, ({ folder, service, data }) => {
  if (service !== undefined) systems.get(folder)?.system.writeInput(service, data);
  sessions.get(folder)?.session.writeInput(data);
});

connection.onDidSaveTextDocument(({ textDocument }) => {
  const file = URI.parse(textDocument.uri).fsPath;
  for (const s of systems.values()) s.system.notifySaved([file]);
  for (const s of sessions.values()) {
    if (s.session.owns(file)) void s.session.notifySaved([file]);
  }
});

connection.onShutdown(async () => {
  await Promise.all([...sessions.keys(), ...systems.keys()].map((f) => stopFolder(f)));
});

// However the server goes, the programs it started go with it.
process.on('exit', () => {
  for (const s of sessions.values()) s.session.killAllSync();
  for (const s of systems.values()) s.system.killAllSync();
});
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
  process.on(signal, () => {
    void Promise.all([...sessions.keys(), ...systems.keys()].map((f) => stopFolder(f))).finally(() => process.exit(0));
  });
}

async function stopFolder(folder: string, options: { endedByItself?: boolean } = {}): Promise<void> {
  const system = systems.get(folder);
  systems.delete(folder);
  await system?.dispose();
  const s = sessions.get(folder);
  if (!s) return;
  sessions.delete(folder);
  await s.dispose(options);
}

connection.listen();
