/** The build flags `go list` must see to select the same files as the build (tags, module mode). */
export function goListFlags(buildFlags: readonly string[]): string[] {
  const out: string[] = [];
  const withValue = new Set(['-tags', '--tags', '-mod', '--mod', '-modfile', '--modfile']);
  for (let i = 0; i < buildFlags.length; i++) {
    const flag = buildFlags[i];
    if (withValue.has(flag) && i + 1 < buildFlags.length) {
      out.push(flag, buildFlags[i + 1]);
      i++;
    } else if (/^--?(tags|mod|modfile)=/.test(flag)) {
      out.push(flag);
    }
  }
  return out;
}
