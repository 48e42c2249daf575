/**
 * The engine's public face for front ends (CLI, language server): nothing here knows about
 * editors, and front ends import nothing from the engine but this file.
 */
export { Session, type SessionOptions, type SessionParts } from './session/session';
export { openSession, type OpenedSession } from './session/openSession';
export { reportLine, isGoodOutcome, crashSummaryLine } from './session/reportText';
export { OutputFlow, formatBytes, type OutputSink } from './session/outputFlow';
export { listTargets } from './session/targets';
export { placeChoices, type Place, type PlaceChoice, type PlaceSettings } from './processes/transports/places';
export type * from './kernel/events';
export type { Diagnostic, RelatedLocation } from './kernel/diagnostic';
export type { Disposable } from './kernel/disposable';
export type { Settings, PartialSettings, ConfigProblem, Strategy, SettingKey } from './settings/types';
export type { TargetInfo } from './languages';
export { editorBufferGlobs } from './languages';
export { SCHEMA, SETTING_KEYS, GROUP_TITLES, summary } from './settings/schema';
export { settingParseOptions, settingsFromFlags, settingsHelp, parseMs } from './settings/frontEnds/cliFlags';
export { toEngineSettings, vscodeConfiguration, vscodeSettingKeys, VSCODE_SECTION } from './settings/frontEnds/vscode';
export { airMappingTable } from './settings/airToml';
