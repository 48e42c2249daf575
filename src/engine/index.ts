/**
 * The engine's public face for front ends (CLI, language server): nothing here knows about
 * editors, and front ends import nothing from the engine but this file.
 */
export { Session, type SessionOptions } from './session/session';
export { openSession } from './session/openSession';
export { openSystem } from './system/openSystem';
export type { ServiceSystem, SystemEvent } from './system/system';
export type { ServiceInfo } from './system/serviceInfo';
export { readServices } from './system/servicesFile';
export { servicesOf, writeServicesFile } from './system/servicesFromTargets';
export type { ServiceSpec as ServiceSpecInput } from './system/serviceSpec';
export { reportLine, isGoodOutcome, crashSummaryLine } from './session/report/reportText';
export { OutputFlow, type OutputSink } from './session/report/outputFlow';
export { listTargets } from './languages';
export { ControlEndpoint } from './control/endpoint';
export { ControlClient, ControlError } from './control/client';
export type { SessionQuery } from './control/discovery';
export { logText, statusText, waitText } from './control/text';
export { AGENT_TOOLS, runAgentTool, vscodeToolContributions } from './control/agentTools';
export type * from './control/messages';
export { placeChoices, type PlaceChoice, type PlaceChoices, type TypedPlace } from './processes/transports/places';
export type * from './kernel/events';
export type { Diagnostic } from './kernel/diagnostic';
export type { Disposable } from './kernel/disposable';
export type { Settings, PartialSettings, ConfigProblem, Strategy, SettingKey } from './settings/types';
export type { TargetInfo } from './languages';
export { editorBufferGlobs } from './languages';
export { SCHEMA, SETTING_KEYS, GROUP_TITLES } from './settings/schema';
export { settingParseOptions, settingsFromFlags, settingsHelp, parseMs } from './settings/frontEnds/cliFlags';
export { toEngineSettings, vscodeConfiguration, vscodeSettingKeys } from './settings/frontEnds/vscode';
export { airMappingTable } from './settings/airToml';
export { agentImageArchive } from './processes/transports/kube/agentImage';
export { DEFAULT_AGENT_IMAGE } from './processes/transports/kube/devMode';
export { findSupervisor, platformOf } from './processes/supervisor/binary';
