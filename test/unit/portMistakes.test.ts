import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addressInUse, describeMistake, mistakeHeadline } from '../../src/engine/strategies/proxy/portMistakes';
import { setupDiagnostic } from '../../src/engine/session/report/problemSite';
import { tempDir, writeFile } from '../support/files';
import * as path from 'node:path';

test('portMistakes: a program\'s own "address already in use", from Go and from Node, with its port', () => {
  assert.deepEqual(addressInUse('starting\nlisten tcp :8080: bind: address already in use\n'), { port: 8080 });
  assert.deepEqual(addressInUse('listen tcp4 127.0.0.1:3000: bind: address already in use'), { port: 3000 });
  assert.deepEqual(addressInUse('[GIN-debug] [ERROR] listen tcp [::]:8080: bind: address already in use'), { port: 8080 });
  assert.deepEqual(addressInUse('Error: listen EADDRINUSE: address already in use :::8080\n    at Server.setupListenHandle'), { port: 8080 });
  assert.deepEqual(addressInUse('bind: Address already in use'), { port: 0 });
  assert.equal(addressInUse('panic: runtime error: index out of range'), undefined);
});

test('portMistakes: the sentence says what happened and the two fixes; the headline is short', () => {
  const inUse = describeMistake({ version: 3, mistake: { kind: 'in-use', port: 8080 }, given: 41000, proxyPort: 8080, readyTimeoutMs: 10000, keeps: '' });
  assert.equal(
    inUse,
    'v3 could not listen on port 8080: address already in use (the proxy listens there). It listens on a fixed port instead of the one it was given in PORT (41000). With the proxy strategy the program must listen on the port in the PORT environment variable (a fresh one per version): make it read PORT, or set strategy to restart or handoff',
  );
  assert.doesNotMatch(
    describeMistake({ version: 1, mistake: { kind: 'in-use', port: 5432 }, given: 41000, proxyPort: 8080, readyTimeoutMs: 10000, keeps: '' }),
    /the proxy listens there/,
  );
  assert.match(
    describeMistake({ version: 4, mistake: { kind: 'in-use', port: 8080 }, given: 41000, proxyPort: 8080, readyTimeoutMs: 10000, keeps: '; v3 keeps serving' }),
    /^v4 could not listen on port 8080: address already in use \(the proxy listens there\); v3 keeps serving\. It listens on a fixed port/,
  );
  assert.equal(mistakeHeadline({ kind: 'in-use', port: 8080 }), 'port 8080 in use');
  assert.equal(mistakeHeadline({ kind: 'not-listening', elsewhere: [] }), 'not listening on PORT');
  assert.equal(mistakeHeadline({ kind: 'not-listening', elsewhere: [9000, 9090] }), 'listening on 9000, not PORT');
  assert.match(
    describeMistake({
      version: 2,
      mistake: { kind: 'not-listening', elsewhere: [9000, 9090] },
      given: 41000,
      proxyPort: 8080,
      readyTimeoutMs: 10000,
      keeps: '',
    }),
    /^v2 listens on ports 9000, 9090 instead of the one it was given in PORT \(41000\), so the proxy cannot reach it; it was stopped after 10000 ms\. With the proxy strategy/,
  );
  assert.match(
    describeMistake({ version: 2, mistake: { kind: 'not-listening', elsewhere: [] }, given: 41000, proxyPort: 8080, readyTimeoutMs: 10000, keeps: '' }),
    /^v2 did not accept connections on port 41000 \(the PORT it was given\) within 10000 ms, so it was stopped\. With the proxy strategy/,
  );
});

test('problemSite: the line naming the port, else the listener, else the top of the main file', () => {
  const dir = tempDir('hr-site-');
  const main = writeFile(path.join(dir, 'main.go'), 'package main\n\n// serves on 8080\nfunc main() {\n\tr.Run(":8080")\n}\n');
  const other = writeFile(path.join(dir, 'util.go'), 'package main\n\nfunc util() {}\n');
  assert.deepEqual(
    [setupDiagnostic([other, main], dir, 'm', 8080)].map((d) => [d?.file, d?.line, d?.source]),
    [[main, 5, 'proxy']],
  );
  assert.equal(setupDiagnostic([other, main], dir, 'm', 18080)?.line, 5, 'no line names 18080: the listener');
  assert.deepEqual(
    [setupDiagnostic([other], dir, 'm', undefined)].map((d) => [d?.file, d?.line]),
    [[other, 1]],
  );
  assert.equal(setupDiagnostic([], dir, 'm', 8080), undefined);
});
