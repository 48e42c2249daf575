import { languageFor, type TargetInfo } from '../languages';

/** What could be run in a folder (Select Target): its language's programs, or why none was found. */
export function listTargets(root: string): Promise<{ targets: TargetInfo[]; errors: string[] }> {
  return languageFor(root).listTargets(root);
}
