/**
 * The Settings editor (Preferences: Open Settings (UI)): searching it as a user does and reading a
 * setting as it shows there, and what an extension's package.json says should show.
 */
import type { Page } from './playwright';
import { runCommand } from './quickInput';
import { eventually } from '../support/waiting';

const EDITOR = '.settings-editor';
const SEARCH_BOX = `${EDITOR} .settings-header .suggest-input-container`;
const TOC_ROWS = `${EDITOR} .settings-toc-container .monaco-list-row`;

/** A setting as the Settings editor shows it. */
export interface ShownSetting {
  /** The key's prefix as words, e.g. "Hot Reload". */
  category: string;
  /** The key's last part as words, e.g. "Drain Timeout Ms". */
  label: string;
  /** The rendered (markdown) description as text. */
  description: string;
  /** The table of contents of the search results: each group with its depth (1 = top level). */
  groups: { title: string; depth: number }[];
}

/** Opens the Settings editor through the command palette; its search box has the focus. */
export async function openSettingsEditor(page: Page, timeout = 20_000): Promise<void> {
  await runCommand(page, 'Preferences: Open Settings (UI)', { timeout });
  await page.locator(EDITOR).first().waitFor({ state: 'visible', timeout });
}

/** Closes the Settings editor (Escape, as a user closes it; the command if that did not). */
export async function closeSettingsEditor(page: Page, timeout = 10_000): Promise<void> {
  const editor = page.locator(EDITOR).first();
  await page.keyboard.press('Escape');
  try {
    await editor.waitFor({ state: 'hidden', timeout: 3_000 });
  } catch {
    await runCommand(page, 'View: Close Editor', { timeout });
    await editor.waitFor({ state: 'hidden', timeout });
  }
}

/**
 * Types `key` into the Settings editor's search box (replacing what was there) and reads the
 * setting `key` from the results, with the table of contents of the groups they are listed
 * under, every group expanded.
 */
export async function searchSetting(page: Page, key: string, timeout = 15_000): Promise<ShownSetting> {
  await page.locator(SEARCH_BOX).first().click({ timeout });
  await page.keyboard.press('Control+A');
  await page.keyboard.type(key);
  const row = page.locator(`${EDITOR} .settings-tree-container [data-key="${key}"]`).first();
  await row.waitFor({ state: 'visible', timeout });
  const collapsed = page.locator(`${TOC_ROWS}[aria-expanded="false"]`);
  let groups: ShownSetting['groups'] = [];
  await eventually(
    () => `the table of contents of the results for ${key}, expanded (it shows ${JSON.stringify(groups)})`,
    async () => {
      if ((await collapsed.count()) > 0) await collapsed.first().click({ timeout: 2_000 });
      groups = await page.evaluate<ShownSetting['groups']>(`Array.from(document.querySelectorAll(${JSON.stringify(TOC_ROWS)})).map((r) => ({
        title: (r.getAttribute('aria-label') || '').replace(/, group$/, ''),
        depth: Number(r.getAttribute('aria-level')) - 1,
      }))`);
      return groups.length > 0 && (await collapsed.count()) === 0;
    },
    { timeoutMs: timeout, intervalMs: 200 },
  );
  const text = async (part: string) => ((await row.locator(part).first().innerText({ timeout })) ?? '').replace(/\s+/g, ' ').trim();
  return {
    category: (await text('.setting-item-category')).replace(/:$/, ''),
    label: await text('.setting-item-label'),
    description: await text('.setting-item-description'),
    groups,
  };
}

/** A section of an extension's `contributes.configuration`. */
export interface ConfigurationSection {
  title?: string;
  properties: Record<string, { markdownDescription?: string; description?: string }>;
}

/**
 * What the Settings editor should show for `key` of an extension whose settings are `sections`:
 * VS Code's words for the key, the description as text (markdown code spans and links to other
 * settings rendered), and the title of the section it is in.
 */
export function expectedSetting(sections: ConfigurationSection[], key: string): { category: string; label: string; description: string; group: string } {
  const section = sections.find((s) => key in s.properties);
  if (!section) throw new Error(`${key} is not a contributed setting`);
  const { markdownDescription, description } = section.properties[key];
  const text = (markdownDescription ?? description ?? '')
    .replace(/`#([\w.]+)#`/g, (_m, other: string) => settingWords(other).join(': '))
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
  const [category, label] = settingWords(key);
  return { category, label, description: text, group: section.title ?? category };
}

/** VS Code's words for a setting key: "hotReload.drainTimeoutMs" → ["Hot Reload", "Drain Timeout Ms"]. */
function settingWords(key: string): [string, string] {
  const words = (part: string) => part.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase());
  const dot = key.lastIndexOf('.');
  return [words(key.slice(0, dot)), words(key.slice(dot + 1))];
}
