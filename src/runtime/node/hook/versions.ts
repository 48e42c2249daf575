import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Which version of the program code runs: set while a version's modules load (`load`) and while
 * its handlers serve a request (`request`), and inherited by everything started from there, so a
 * timer can be traced to the version that made it.
 */
export interface VersionContext {
  version: number;
  phase: 'load' | 'request';
}

export const versionContext = new AsyncLocalStorage<VersionContext>();
