import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Artifact } from '../../kernel/artifact';
import type { Program } from '../../processes/program';

/** What decides whether a restart may start the running version's executable again. */
export interface ReuseFacts {
  /** The version serving now and its process. */
  artifact: Artifact | undefined;
  program: Program | undefined;
  /** The files that differ from the sources the running version was built from. */
  changedSources: readonly string[];
  /** Whether a watcher follows the tree: without one, nothing says the sources are unchanged. */
  watching: boolean;
  /** Commands that run before every build (code generators read what the watcher may not see). */
  preBuildCommands: readonly string[];
  root: string;
}

/**
 * A restart with nothing changed need not build: a relink costs seconds on a large program, and
 * the executable of the running version is still on disk. Returns that version, or why a build is
 * needed (a sentence for the log).
 */
export function reusableArtifact(facts: ReuseFacts): { artifact: Artifact } | { why: string } {
  const { artifact, program } = facts;
  if (!artifact || !program?.running) return { why: 'no version is running' };
  if (facts.changedSources.length > 0) return { why: `${describeFiles([...facts.changedSources], facts.root)} changed since v${artifact.version} was built` };
  if (!facts.watching) return { why: 'the file watcher is off, so unchanged sources cannot be told apart' };
  if (facts.preBuildCommands.length > 0) return { why: 'pre-build commands run before every build' };
  if (artifact.updatedInPlace) return { why: `v${artifact.version} was patched in place, and its executable alone does not hold that code` };
  if (!fs.existsSync(artifact.path)) return { why: `v${artifact.version}'s executable is gone` };
  return { artifact };
}

/** "greeting.go, main.go and 3 more", relative to the project. */
function describeFiles(files: string[], root: string): string {
  const names = files.map((f) => path.relative(root, f) || f).sort();
  return names.length > 5 ? `${names.slice(0, 5).join(', ')} and ${names.length - 5} more` : names.join(', ');
}
