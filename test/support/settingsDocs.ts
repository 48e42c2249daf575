import { airMappingTable, GROUP_TITLES, SCHEMA, SETTING_KEYS } from '../../src/engine';

function cliNames(key: (typeof SETTING_KEYS)[number]): string {
  const cli = SCHEMA[key].cli;
  const flags = cli === undefined ? [] : Array.isArray(cli) ? cli : [cli];
  return flags.map((f: { flag: string; arg?: string }) => `\`--${f.flag}${f.arg ? ` <${f.arg}>` : ''}\``).join(', ');
}

function defaultText(key: (typeof SETTING_KEYS)[number]): string {
  const value: unknown = SCHEMA[key].default;
  if (typeof value === 'function') return key === 'workDir' ? 'a folder in `~/.cache/hotreload/projects`' : 'the project folder';
  if (value === undefined) return '—';
  return `\`${JSON.stringify(value)}\``;
}

/** docs/settings.md: every setting with its VS Code name, CLI flag, .air.toml keys, default and docs. */
export function settingsMarkdown(): string {
  const air = new Map(airMappingTable().map((m) => [m.setting, m.airKeys]));
  const lines = [
    '# Settings',
    '',
    'Generated from the settings schema (`src/engine/settings/schema`) by `npm run settings`; a unit test fails when this file drifts.',
    'Precedence, lowest first: the defaults, `.air.toml`, then VS Code settings or CLI flags.',
    '',
  ];
  let group = '';
  for (const key of SETTING_KEYS) {
    const spec = SCHEMA[key];
    if (spec.group !== group) {
      group = spec.group;
      lines.push(
        `## ${GROUP_TITLES[spec.group]}`,
        '',
        '| setting | VS Code | CLI | .air.toml | default | what it does |',
        '| --- | --- | --- | --- | --- | --- |',
      );
    }
    const airKeys = (air.get(key) ?? []).map((k) => `\`${k}\``).join(', ') || '—';
    const vscode = spec.vscode ? `\`hotReload.${key}\`` : '— (the folder)';
    const doc = spec.doc.replace(/\|/g, '\\|').replace(/`#hotReload\.([A-Za-z]+)#`/g, '`$1`');
    lines.push(`| \`${key}\` | ${vscode} | ${cliNames(key) || '—'} | ${airKeys} | ${defaultText(key)} | ${doc} |`);
    if (SETTING_KEYS[SETTING_KEYS.indexOf(key) + 1] === undefined || SCHEMA[SETTING_KEYS[SETTING_KEYS.indexOf(key) + 1]].group !== group) lines.push('');
  }
  return `${lines.join('\n')}\n`;
}
