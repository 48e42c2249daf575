/**
 * Which session a client finds from where it runs: the one whose project folder holds the folder
 * most closely, narrowed by service or engine pid; several at one folder are named, not guessed
 * between; an editor or an agent at a folder above finds the one session inside it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findSession, type ControlRecord } from '../../src/engine/control/discovery';

const record = (root: string, pid: number, extra: Partial<ControlRecord> = {}): ControlRecord => ({
  protocol: 1,
  pid,
  startTime: 1,
  root,
  service: null,
  frontEnd: 'cli',
  socket: `/run/control-${pid}.sock`,
  token: 't',
  startedAt: 0,
  ...extra,
});

const found = (result: ReturnType<typeof findSession>) => ('record' in result ? result.record.pid : result.problem);

test('the closest project folder holding the cwd wins; a sibling with a common prefix is not it', () => {
  const records = [record('/w/app', 1), record('/w/app/svc', 2), record('/w/app2', 3)];
  assert.equal(found(findSession({ cwd: '/w/app/svc/cmd' }, records)), 2);
  assert.equal(found(findSession({ cwd: '/w/app/web' }, records)), 1);
  assert.equal(found(findSession({ cwd: '/w/app2' }, records)), 3);
  const none = findSession({ cwd: '/w' }, records);
  assert.equal(found(none), 'none');
  assert.match('message' in none ? none.message : '', /no Hot Reload session runs for \/w \(sessions run in: \/w\/app, \/w\/app\/svc, \/w\/app2\)/);
});

test('several sessions at one folder are named; a service or a pid picks one', () => {
  const records = [record('/w/app', 1, { frontEnd: 'vscode' }), record('/w/app', 2, { service: 'api' })];
  const several = findSession({ cwd: '/w/app' }, records);
  assert.equal(found(several), 'several');
  assert.match('message' in several ? several.message : '', /2 sessions run for \/w\/app: pid 1 \(vscode\), pid 2 \(cli, service api\); say which with --pid/);
  assert.equal(found(findSession({ cwd: '/w/app', service: 'api' }, records)), 2);
  assert.equal(found(findSession({ cwd: '/w/app', pid: 1 }, records)), 1);
});

test('orInside: from a folder above, the one session inside it (several are named)', () => {
  assert.equal(found(findSession({ cwd: '/w', orInside: true }, [record('/w/app', 1)])), 1);
  assert.equal(found(findSession({ cwd: '/w', orInside: true }, [record('/w/a', 1), record('/w/b', 2)])), 'several');
  assert.equal(
    found(findSession({ cwd: '/w/app/src', orInside: true }, [record('/w/app', 1), record('/w/app/src/x', 2)])),
    1,
    'one holding the cwd comes first',
  );
});
