/** The engine's public face for front ends (CLI, language server): nothing here knows about editors. */
export { Session, type SessionOptions } from './session';
export { openSession, type OpenedSession } from './openSession';
export type * from './events';
export type { Diagnostic, RelatedLocation } from './diagnostic';
export type { Settings, PartialSettings, ConfigProblem, Strategy } from './config/settings';
