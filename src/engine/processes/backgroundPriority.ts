import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Runs work nobody waits for yet (builds before the save) at the lowest CPU priority, and raises
 * it to normal once somebody does (the save came while it ran).
 *
 * On Linux every command the engine runs gets a session of its own, and with the scheduler's
 * autogroups (on by default) a session competes as a whole, at its group's nice value: `nice -n
 * 19` alone would still get an equal share against the real build. So there the command's session
 * gets the group nice 19, which any process may set for itself and lower back to 0 (not below)
 * later, unlike a process's own nice. Elsewhere `nice -n 19`, which cannot be undone unprivileged.
 */
export class BackgroundPriority {
  constructor(
    /** Where the wrapper records the command's pid: a folder of the work the command is given paths in. */
    private readonly pidFile: string,
  ) {}

  /** The command line that runs `command` at the lowest priority. */
  wrap(command: string, args: readonly string[]): [string, string[]] {
    if (!autogroups()) return lowestPriority(command, args);
    // The group nice is rate-limited (one write per 100 ms, system-wide): if it fails, plain nice.
    const script = 'echo $$ > "$0"; if echo 19 > /proc/self/autogroup 2>/dev/null; then exec "$@"; else exec nice -n 19 "$@"; fi';
    return ['/bin/sh', ['-c', script, this.pidFile, command, ...args]];
  }

  /** Raises the command to normal priority; false when it cannot be (it then stays at the lowest). */
  async raise(): Promise<boolean> {
    if (process.platform === 'win32') return true;
    let pid: number;
    try {
      pid = Number(fs.readFileSync(this.pidFile, 'utf8').trim());
    } catch {
      return false;
    }
    // Ours: a command that names the folder of its pid file, in the group nice 19 the wrapper gave it.
    if (!pid || !commandLine(pid).includes(path.dirname(this.pidFile)) || groupNice(pid) !== 19) return false;
    for (let attempt = 0; attempt < 8; attempt++) {
      try {
        fs.writeFileSync(`/proc/${pid}/autogroup`, '0');
        return groupNice(pid) === 0;
      } catch {
        await new Promise((r) => setTimeout(r, 20)); // rate-limited: another write in the last 100 ms
      }
    }
    return false;
  }
}

/** `command` at the lowest priority, for good (short helpers of background work, like a formatter). */
export function lowestPriority(command: string, args: readonly string[]): [string, string[]] {
  if (process.platform === 'win32') return [command, [...args]];
  if (!autogroups()) return ['nice', ['-n', '19', command, ...args]];
  return ['/bin/sh', ['-c', 'echo 19 > /proc/self/autogroup 2>/dev/null; exec nice -n 19 "$0" "$@"', command, ...args]];
}

let autogroupsOn: boolean | undefined;

/** Whether the kernel schedules sessions as groups (Linux's sched_autogroup). */
function autogroups(): boolean {
  try {
    autogroupsOn ??= process.platform === 'linux' && fs.readFileSync('/proc/sys/kernel/sched_autogroup_enabled', 'utf8').trim() === '1';
  } catch {
    autogroupsOn = false;
  }
  return autogroupsOn;
}

function commandLine(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

function groupNice(pid: number): number | undefined {
  try {
    const match = /nice (-?\d+)/.exec(fs.readFileSync(`/proc/${pid}/autogroup`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}
