import * as vscode from 'vscode';
import type { ListPlacesRequest, TargetInfo } from '../protocol';

/** Where the program picked for a folder is remembered (workspace state). */
const PROGRAM_KEY = 'hotReload.target:';

type ProgramSettings = TargetInfo['settings'];

/** What the user picked in Select Target: a program (the settings that select it), or where it runs (likewise). */
export type TargetChoice = { program: ProgramSettings } | { place: string; settings: Record<string, string | undefined> };

/** The settings of the program picked last for a folder; a Go package name as earlier versions kept it. */
export function rememberedProgram(state: vscode.Memento, folderKey: string): ProgramSettings | undefined {
  const value = state.get<string | ProgramSettings>(PROGRAM_KEY + folderKey);
  return typeof value === 'string' ? { language: 'go', package: value } : value;
}

export function rememberProgram(state: vscode.Memento, folderKey: string, program: ProgramSettings): Thenable<void> {
  return state.update(PROGRAM_KEY + folderKey, program);
}

type Item = vscode.QuickPickItem & { choose?: () => Promise<TargetChoice | undefined> };

export function forgetProgram(state: vscode.Memento, folderKey: string): Thenable<void> {
  return state.update(PROGRAM_KEY + folderKey, undefined);
}

/** The label of the choice that runs every program as a service. */
const RUN_ALL = '$(layers) Run them all';

/**
 * Asks which of a folder's programs (Go main packages, Node entries, package.json scripts) to run,
 * or, with several programs, all of them as services ('all').
 */
export async function pickProgram(folder: vscode.WorkspaceFolder, targets: TargetInfo[]): Promise<TargetInfo | 'all' | undefined> {
  const programs = targets.filter((t) => !t.settings.command);
  const all =
    programs.length > 1 ? [{ label: RUN_ALL, description: `${programs.length} programs as services: writes hotreload.toml`, target: 'all' as const }] : [];
  const picked = await vscode.window.showQuickPick([...targets.map((t) => ({ label: t.package, description: t.importPath, target: t })), ...all], {
    title: `Hot Reload: which program in ${folder.name}?`,
    placeHolder: 'Pick the program to build and run (remembered for this folder), or run them all',
  });
  return picked?.target;
}

/**
 * Select Target: the program (when the folder has several main packages) and where it runs, as the
 * engine lists them (each place with its kind's icon; the kinds a user may type in, as entries
 * that ask). Only renders the lists and returns the choice.
 */
export async function pickTarget(
  folder: vscode.WorkspaceFolder,
  programs: { targets: TargetInfo[]; current: ProgramSettings | undefined },
  places: { places: ListPlacesRequest.Place[]; notes: string[]; typed: ListPlacesRequest.Typed[] },
): Promise<TargetChoice | undefined> {
  const items: Item[] = [];
  if (programs.targets.length > 1 || programs.targets.some((t) => t.settings.command)) {
    items.push({ label: 'Program', kind: vscode.QuickPickItemKind.Separator });
    const current = JSON.stringify(programs.current);
    for (const t of programs.targets) {
      items.push({
        label: t.package,
        description: `${t.importPath}${JSON.stringify(t.settings) === current ? ' · current' : ''}`,
        choose: () => Promise.resolve({ program: t.settings }),
      });
    }
  }
  items.push({ label: 'Runs on', kind: vscode.QuickPickItemKind.Separator });
  for (const p of places.places) {
    items.push({
      label: `$(${p.icon}) ${p.label}`,
      description: [p.tag, p.current ? 'current' : undefined].filter(Boolean).join(' · '),
      detail: p.detail,
      choose: () => Promise.resolve({ place: p.label, settings: p.settings }),
    });
  }
  for (const t of places.typed) items.push({ label: `$(add) ${t.label}`, description: t.description, choose: () => askPlace(t) });
  for (const note of places.notes) items.push({ label: `$(warning) ${note}` });
  const picked = await vscode.window.showQuickPick(items, {
    title: `Hot Reload: Select Target for ${folder.name}`,
    placeHolder: 'The program to run and where it runs (this machine, a running container, an SSH host, a Kubernetes Deployment)',
    matchOnDescription: true,
  });
  return picked?.choose?.();
}

/** A place typed in (an SSH host): the answer goes in its kind's setting, the other place settings cleared. */
async function askPlace(typed: ListPlacesRequest.Typed): Promise<TargetChoice | undefined> {
  const value = (await vscode.window.showInputBox({ title: typed.title, prompt: typed.prompt }))?.trim();
  if (!value) return undefined;
  return { place: value, settings: { ...typed.settings, [typed.key]: value } };
}
