import * as vscode from 'vscode';
import type { ListPlacesRequest, TargetInfo } from '../protocol';

/** Where the main package picked for a folder is remembered (workspace state). */
export const PROGRAM_KEY = 'hotReload.target:';

/** What the user picked in Select Target: a main package, or where the program runs (the settings that say so). */
export type TargetChoice = { program: string } | { place: string; settings: Record<string, string | undefined> };

const ICONS: Record<ListPlacesRequest.Place['kind'], string> = { local: '$(vm)', container: '$(package)', compose: '$(layers)', ssh: '$(remote)' };

type Item = vscode.QuickPickItem & { choose?: () => Promise<TargetChoice | undefined> };

/** Asks which of a folder's main packages to run. */
export async function pickProgram(folder: vscode.WorkspaceFolder, targets: TargetInfo[]): Promise<string | undefined> {
  const picked = await vscode.window.showQuickPick(
    targets.map((t) => ({ label: t.package, description: t.importPath })),
    { title: `Hot Reload: which program in ${folder.name}?`, placeHolder: 'Pick the main package to build and run (remembered for this folder)' },
  );
  return picked?.label;
}

/**
 * Select Target: the program (when the folder has several main packages) and where it runs, as the
 * engine lists them. Only renders the lists and returns the choice.
 */
export async function pickTarget(
  folder: vscode.WorkspaceFolder,
  programs: { targets: TargetInfo[]; current: string | undefined },
  places: { places: ListPlacesRequest.Place[]; notes: string[] },
): Promise<TargetChoice | undefined> {
  const items: Item[] = [];
  if (programs.targets.length > 1) {
    items.push({ label: 'Program', kind: vscode.QuickPickItemKind.Separator });
    for (const t of programs.targets) {
      const program = t.package;
      items.push({
        label: program,
        description: `${t.importPath}${program === programs.current ? ' · current' : ''}`,
        choose: () => Promise.resolve({ program }),
      });
    }
  }
  items.push({ label: 'Runs on', kind: vscode.QuickPickItemKind.Separator });
  for (const p of places.places) {
    items.push({
      label: `${ICONS[p.kind]} ${p.label}`,
      description: [p.kind === 'compose' ? 'Compose service' : undefined, p.current ? 'current' : undefined].filter(Boolean).join(' · '),
      detail: 'detail' in p ? p.detail : undefined,
      choose: () => Promise.resolve({ place: p.label, settings: p.settings }),
    });
  }
  items.push({ label: '$(add) SSH host…', description: 'user@host, or a name from your SSH config', choose: () => askSshHost() });
  for (const note of places.notes) items.push({ label: `$(warning) ${note}` });
  const picked = await vscode.window.showQuickPick(items, {
    title: `Hot Reload: Select Target for ${folder.name}`,
    placeHolder: 'The program to run and where it runs (a running container, an SSH host, this machine)',
    matchOnDescription: true,
  });
  return picked?.choose?.();
}

async function askSshHost(): Promise<TargetChoice | undefined> {
  const host = await vscode.window.showInputBox({
    title: 'Hot Reload: run on an SSH host',
    prompt: 'user@host, or a Host from your SSH config. Port and key go in hotReload.sshOptions.',
  });
  if (!host?.trim()) return undefined;
  return { place: host.trim(), settings: { container: undefined, composeService: undefined, sshHost: host.trim() } };
}
