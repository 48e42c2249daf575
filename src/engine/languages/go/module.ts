/** Go's row of the language registry. */
import { DEFAULT_EXTENSIONS } from '../../settings/defaults';
import type { LanguageModule } from '../languageModule';
import { findNestedModuleRoots, GO_MOD } from './discover';
import { GO_BUFFER_GLOBS } from './goBuffers';
import { GoLanguage } from './goLanguage';
import type { Discover } from './resolveModule';

export interface GoOverrides {
  /** Replaces Go's `go list` discovery of main packages (tests). */
  discover?: Discover;
}

export const GO: LanguageModule<'go', GoOverrides> = {
  id: 'go',
  name: 'Go',
  // A module in a subfolder (./backend) is the folder's as much as one above it.
  project: { files: [GO_MOD], noun: 'a Go module', below: (root) => findNestedModuleRoots(root).length > 0 },
  // The schema's default is Go's: a folder with no project file is resolved as Go.
  defaults: { extensions: DEFAULT_EXTENSIONS },
  capabilities: {
    remote: { can: true },
    debug: { can: true },
    patch: { can: true },
    editorBuffers: GO_BUFFER_GLOBS,
  },
  create: (overrides) => new GoLanguage(overrides.discover),
};
