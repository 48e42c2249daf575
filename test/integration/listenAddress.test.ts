/**
 * Safe by default, as Vite is: the sockets the engine opens for the program (the proxy's port, the
 * handoff socket, browser reload's proxy) listen on loopback when no host is named (127.0.0.1, and
 * ::1 too where one listener can take both, the proxies'), and on every interface only when
 * listenAddress names it; the log says where. Read from the kernel's socket tables, per strategy.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as net from 'node:net';
import { startSession } from './harness';
import { copyExampleForBuild } from './zeroDowntime';
import type { PartialSettings } from '../../src/engine';
import { portOf, tcpSockets } from '../../src/engine/processes/tcpTable';
import { copyExample } from '../support/examples';
import { freePort } from '../support/ports';

const V4_LOOPBACK = '0100007F';
const V6_LOOPBACK = '00000000000000000000000001000000';
const V4_ANY = '00000000';
const V6_ANY = '00000000000000000000000000000000';

/** The local addresses (the kernel's hex) that listen on `port`. */
function listeners(port: number): string[] {
  return tcpSockets()
    .filter((s) => s.state === '0A' && portOf(s.local) === port)
    .map((s) => s.local.slice(0, s.local.indexOf(':')))
    .sort();
}

/** Whether this machine can listen on ::1 (IPv6 loopback may be off in a container). */
function ipv6Loopback(): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(0, '::1', () => server.close(() => resolve(true)));
  });
}

interface Case {
  name: string;
  example: string;
  layer: PartialSettings;
  /** The proxies listen on both loopbacks; the handoff socket is one (IPv4) socket passed as fd 3. */
  bothLoopbacks: boolean;
  /** The port the engine's socket is on, given the program's PORT and a spare port. */
  enginePort(port: number, spare: number): number;
  /** What the log says about it. */
  logged: RegExp;
}

const CASES: Case[] = [
  {
    name: 'proxy',
    example: 'proxy',
    layer: { strategy: 'proxy' },
    bothLoopbacks: true,
    enginePort: (port) => port,
    logged: /proxy: listening on 127\.0\.0\.1:\d+/,
  },
  {
    name: 'handoff',
    example: 'handoff',
    layer: { strategy: 'handoff' },
    bothLoopbacks: false,
    enginePort: (port) => port,
    logged: /handoff: the supervisor holds 127\.0\.0\.1:\d+/,
  },
  {
    name: 'patch',
    example: 'game',
    layer: { strategy: 'patch' },
    bothLoopbacks: false,
    enginePort: (port) => port,
    logged: /handoff: the supervisor holds 127\.0\.0\.1:\d+/,
  },
  {
    name: 'restart with browser reload',
    example: 'hello',
    layer: { strategy: 'restart', browserReload: true },
    bothLoopbacks: true,
    enginePort: (_port, spare) => spare,
    logged: /browser reload: open http:\/\/localhost:\d+\/ \(a proxy on 127\.0\.0\.1:\d+/,
  },
];

for (const c of CASES) {
  test(`${c.name}: loopback when no host is named, every interface only when asked`, { timeout: 600_000 }, async () => {
    const v6 = await ipv6Loopback();
    const build = (name: string) => (name === 'hello' ? copyExample(name) : copyExampleForBuild(name));
    for (const asked of [undefined, '0.0.0.0', '[::]']) {
      if (asked === '[::]' && !v6) continue;
      const spare = await freePort();
      const hostLayer = asked === undefined ? {} : { listenAddress: `${asked}:${spare}` };
      // The browser front's port is browserPort; the strategies' is listenAddress's port, else PORT.
      const layer: PartialSettings = { ...c.layer, ...(c.name.startsWith('restart') ? { browserPort: spare } : {}), ...hostLayer };
      const { t, port } = await startSession(build(c.example), layer);
      try {
        const enginePort = asked === undefined ? c.enginePort(port, spare) : spare;
        const expected = asked === undefined ? [V4_LOOPBACK, ...(c.bothLoopbacks && v6 ? [V6_LOOPBACK] : [])] : asked === '0.0.0.0' ? [V4_ANY] : [V6_ANY];
        assert.deepEqual(listeners(enginePort), expected.sort(), `listenAddress ${asked ?? '(none)'}`);
        const logs = t.events.flatMap((e) => (e.type === 'log' ? [e.message] : [])).join('\n');
        if (asked === undefined) {
          assert.match(logs, c.logged);
          if (!c.name.startsWith('restart')) assert.match(logs, /loopback only: listenAddress 0\.0\.0\.0:\d+ opens it to the network/);
        }
      } finally {
        await t.dispose();
      }
    }
  });
}
