/**
 * One engine, two sessions (two folders of one VS Code window, or a benchmark's variants): the
 * second one's start looks for supervisors left by killed engines and must not take the first
 * session's, whose engine is this very process, for one. Its program keeps serving, and its
 * builds keep running. And a session opened but never started runs nothing at all.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { openSession } from '../../src/engine';
import { startSession, setGreeting } from './harness';
import { copyExample } from '../support/examples';
import { httpGet } from '../support/http';
import { eventually } from '../support/waiting';

test('a second session of the same engine leaves the first one’s supervisor and program running', async () => {
  const first = await startSession(copyExample('hello'), { strategy: 'restart' });
  try {
    const pid = first.first.pid;
    assert.equal((await eventually('the first answers', () => httpGet(first.port))).body, 'hello, world');
    const second = await startSession(copyExample('hello'), { strategy: 'restart' });
    try {
      assert.equal((await eventually('the second answers', () => httpGet(second.port))).body, 'hello, world');
      assert.ok(
        !second.t.events.some((e) => e.type === 'log' && /left running by an engine that was killed/.test(e.message)),
        'the second session stopped a supervisor',
      );
      assert.equal((await httpGet(first.port)).body, 'hello, world', 'the first session’s program still serves');
      assert.equal(first.t.session.currentProgram?.pid, pid);
      // And the first session still builds: its supervisor is there.
      setGreeting(first.t.session.settings.root, 'still here');
      assert.equal((await first.t.report(2)).outcome, 'restarted');
      assert.equal(await eventually('the first reloads', async () => ((await httpGet(first.port)).body === 'still here' ? 'yes' : undefined)), 'yes');
    } finally {
      await second.t.dispose();
    }
  } finally {
    await first.t.dispose();
  }
});

/** The processes whose parent is this one. */
function children(): number[] {
  return fs
    .readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === process.pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

test('a session opened and never started starts no process (no supervisor, no go list)', { skip: !fs.existsSync('/proc/self/stat') }, async () => {
  const before = children();
  const { session, problems } = await openSession(copyExample('hello'), [{ strategy: 'restart' }]);
  assert.ok(session, JSON.stringify(problems));
  try {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.deepEqual(
      children().filter((pid) => !before.includes(pid)),
      [],
      'a process was started before the session was',
    );
  } finally {
    await session.dispose();
  }
});
