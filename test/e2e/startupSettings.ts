/** What the browser and the workbench start with, so that runs are quiet and typing is exact. */

/** Flags Debian's Chromium needs in this closed network (no sandbox as root, no background connections). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--password-store=basic',
];

/** User settings that make the workbench quiet and typing deterministic. Override with `userSettings`. */
export const DEFAULT_USER_SETTINGS: Record<string, unknown> = {
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'update.showReleaseNotes': false,
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.editor.enablePreview': false,
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'window.confirmBeforeClose': 'never',
  'git.enabled': false,
  // Servers started by the tests must not pop "port forwarded" notifications.
  'remote.autoForwardPorts': false,
  'remote.restoreForwardedPorts': false,
  'files.autoSave': 'off',
  'terminal.integrated.enablePersistentSessions': false,
  // DOM renderer, so terminal text can be read from the page (readTerminal).
  'terminal.integrated.gpuAcceleration': 'off',
  'terminal.integrated.suggest.enabled': false,
  'terminal.integrated.stickyScroll.enabled': false,
  'editor.minimap.enabled': false,
  'editor.autoClosingBrackets': 'never',
  'editor.autoClosingQuotes': 'never',
  'editor.autoClosingComments': 'never',
  'editor.autoSurround': 'never',
  'editor.autoIndent': 'none',
  'editor.formatOnType': false,
  'editor.formatOnSave': false,
  'editor.quickSuggestions': { other: 'off', comments: 'off', strings: 'off' },
  'editor.suggestOnTriggerCharacters': false,
  'editor.acceptSuggestionOnEnter': 'off',
  'editor.parameterHints.enabled': false,
  'editor.inlineSuggest.enabled': false,
  'editor.hover.enabled': false,
};
