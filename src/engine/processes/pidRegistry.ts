import * as fs from 'node:fs';
import * as path from 'node:path';
import { readProcStat } from './processTree';
import { killGroupSync, stopGroup } from './processGroup';
import { writeFileAtomic } from '../kernel/atomicFile';

interface PidRecord {
  pid: number;
  /** /proc start time, so a reused pid is never mistaken for ours. */
  startTime: number;
  command: string;
  /** The engine that started it: its records are only reaped once that engine is gone. */
  enginePid: number;
}

/**
 * Records every process group the engine starts in a file under the work dir.
 * An engine killed with SIGKILL cannot stop its programs; the next engine that
 * starts on the same work dir reads this file and stops what is left.
 */
export class PidRegistry {
  private readonly file: string;
  private records = new Map<number, PidRecord>();

  constructor(workDir: string) {
    this.file = path.join(workDir, 'pids.json');
  }

  /** Stops process groups left by engines that are no longer alive; returns what it stopped. */
  async reapOrphans(): Promise<PidRecord[]> {
    const reaped: PidRecord[] = [];
    for (const record of this.readFile()) {
      if (record.enginePid !== process.pid && isSameProcess(record.enginePid)) continue; // another live engine's
      const stat = readProcStat(record.pid);
      if (stat && stat.startTime === record.startTime) {
        await stopGroup(record.pid, 'SIGTERM', 2000);
        reaped.push(record);
      }
    }
    this.save();
    return reaped;
  }

  add(pid: number, command: string): void {
    const stat = readProcStat(pid);
    this.records.set(pid, { pid, startTime: stat?.startTime ?? 0, command, enginePid: process.pid });
    this.save();
  }

  remove(pid: number): void {
    if (this.records.delete(pid)) this.save();
  }

  /** For exit handlers: kill every group this engine still has, synchronously. */
  killAllSync(): void {
    for (const record of this.records.values()) killGroupSync(record.pid);
    this.records.clear();
    this.save();
  }

  private readFile(): PidRecord[] {
    try {
      const parsed: unknown = JSON.parse(fs.readFileSync(this.file, 'utf8'));
      return Array.isArray(parsed) ? (parsed as PidRecord[]).filter((r) => Number.isInteger(r?.pid)) : [];
    } catch {
      return [];
    }
  }

  private save(): void {
    // Keep other live engines' records (two sessions may share a work dir for a moment).
    const others = this.readFile().filter((r) => r.enginePid !== process.pid && isSameProcess(r.enginePid));
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      writeFileAtomic(this.file, JSON.stringify([...others, ...this.records.values()], null, 1));
    } catch {
      // The registry is a safety net; failing to write it must not stop a reload.
    }
  }
}

function isSameProcess(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
