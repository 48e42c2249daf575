import type { AdapterSession } from './adapterSession';

/** A breakpoint as the debugger client was last told about it. */
interface Told {
  id: number;
  verified: boolean;
  line?: number;
  message?: string;
}

type Breakpoint = Record<string, unknown> & { id?: number; verified?: boolean; line?: number; message?: string };

/** Requests whose latest arguments are what the client has set; each is sent again to every new version. */
const KINDS = ['setBreakpoints', 'setFunctionBreakpoints', 'setExceptionBreakpoints'] as const;
export type BreakpointRequest = (typeof KINDS)[number];

export function isBreakpointRequest(command: string | undefined): command is BreakpointRequest {
  return (KINDS as readonly string[]).includes(command ?? '');
}

/**
 * What the debugger client has set (per source file, and the function and exception breakpoints),
 * so that each new version's adapter gets it before the version runs. The client knows breakpoints
 * by the ids it was given; each adapter has its own, so this book maps every adapter's ids to the
 * client's and says when a breakpoint's verification changed in a new version.
 */
export class BreakpointBook {
  /** By request kind and key (the source path; "" for the others): the last arguments and what the client was told. */
  private readonly entries = new Map<string, { command: BreakpointRequest; args: Record<string, unknown>; told: Told[] }>();
  private readonly idsOf = new WeakMap<AdapterSession, Map<number, number>>();
  private nextId = 1;

  /** Records what the client set; the response the client gets is `told` (from the adapter's, or unverified without one). */
  record(command: BreakpointRequest, args: Record<string, unknown>, adapter: AdapterSession | undefined, response: Breakpoint[] | undefined): Breakpoint[] {
    const requested = requestedOf(command, args);
    const told = requested.map((wanted, i): Told => {
      const got = response?.[i];
      const id = this.nextId++;
      if (got && adapter && typeof got.id === 'number') this.ids(adapter).set(got.id, id);
      return got
        ? { id, verified: got.verified === true, line: got.line, message: got.message }
        : { id, verified: false, line: wanted.line as number | undefined, message: 'set when the program runs again' };
    });
    if (command !== 'setExceptionBreakpoints') this.entries.set(keyOf(command, args), { command, args, told });
    else this.entries.set(keyOf(command, args), { command, args, told: [] });
    return told.map((t, i) => ({ ...(response?.[i] ?? {}), ...t }));
  }

  /** Sends everything set so far to a new version's adapter; returns the breakpoints whose state changed for the client. */
  async replay(adapter: AdapterSession): Promise<Breakpoint[]> {
    const changed: Breakpoint[] = [];
    for (const entry of this.entries.values()) {
      const response = await adapter.request(entry.command, entry.args);
      const got = (response.body?.breakpoints as Breakpoint[] | undefined) ?? [];
      entry.told.forEach((told, i) => {
        const bp = got[i];
        if (!bp) return;
        if (typeof bp.id === 'number') this.ids(adapter).set(bp.id, told.id);
        const verified = bp.verified === true;
        if (verified !== told.verified || (bp.line !== undefined && bp.line !== told.line)) {
          Object.assign(told, { verified, line: bp.line ?? told.line, message: bp.message });
          changed.push({ ...bp, id: told.id });
        }
      });
    }
    return changed;
  }

  /** Clears every breakpoint in an adapter whose version no longer serves: nothing may pause it now. */
  async clear(adapter: AdapterSession): Promise<void> {
    for (const entry of this.entries.values()) {
      const args =
        entry.command === 'setBreakpoints'
          ? { ...entry.args, breakpoints: [], lines: [] }
          : entry.command === 'setFunctionBreakpoints'
            ? { breakpoints: [] }
            : { filters: [] };
      await adapter.request(entry.command, args);
    }
  }

  /** The client's id for an adapter's breakpoint id (a new one for a breakpoint the adapter made itself). */
  clientId(adapter: AdapterSession, id: number): number {
    const ids = this.ids(adapter);
    let mapped = ids.get(id);
    if (mapped === undefined) {
      mapped = this.nextId++;
      ids.set(id, mapped);
    }
    return mapped;
  }

  private ids(adapter: AdapterSession): Map<number, number> {
    let ids = this.idsOf.get(adapter);
    if (!ids) this.idsOf.set(adapter, (ids = new Map<number, number>()));
    return ids;
  }
}

function keyOf(command: BreakpointRequest, args: Record<string, unknown>): string {
  const source = args.source as { path?: string; name?: string } | undefined;
  return command === 'setBreakpoints' ? `${command}:${source?.path ?? source?.name ?? ''}` : command;
}

function requestedOf(command: BreakpointRequest, args: Record<string, unknown>): Record<string, unknown>[] {
  if (command === 'setExceptionBreakpoints') return [];
  return (args.breakpoints as Record<string, unknown>[] | undefined) ?? [];
}
