/**
 * A command line that runs `command` at the lowest CPU priority, for work nobody waits for yet
 * (builds before the save). `nice -n 19` alone is not enough on Linux: every command the engine
 * runs gets a session of its own, and with the scheduler's autogroups (on by default) a session
 * competes as a whole, at its group's nice value, with the others; so the group's nice is raised
 * too (/proc/self/autogroup, which any process may raise for itself). Windows has neither.
 */
export function atLowestPriority(command: string, args: readonly string[]): [string, string[]] {
  if (process.platform === 'win32') return [command, [...args]];
  if (process.platform !== 'linux') return ['nice', ['-n', '19', command, ...args]];
  return ['/bin/sh', ['-c', 'echo 19 > /proc/self/autogroup 2>/dev/null; exec nice -n 19 "$0" "$@"', command, ...args]];
}
