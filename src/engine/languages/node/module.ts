/** Node's row of the language registry. */
import type { LanguageModule } from '../languageModule';
import { NodeLanguage } from './nodeLanguage';
import { PACKAGE_JSON } from './project';

/** What changes reload a Node program by default (the build's inputs narrow it further). */
const NODE_EXTENSIONS = ['ts', 'mts', 'cts', 'tsx', 'js', 'mjs', 'cjs', 'jsx', 'json'];

export const NODE: LanguageModule<'node'> = {
  id: 'node',
  name: 'Node',
  project: { files: [PACKAGE_JSON], noun: 'a Node package' },
  defaults: { extensions: NODE_EXTENSIONS },
  capabilities: {
    remote: { can: false, why: 'a target gets one static executable, and a Node program needs node, its bundle and node_modules there' },
    debug: { can: false, why: 'no debug adapter follows a Node program across its versions yet' },
    patch: { can: true },
    editorBuffers: [],
  },
  create: () => new NodeLanguage(),
};
