/**
 * A Go project as they come: a Gin web app (its ~300 packages from the Go module proxy) that keeps
 * a SQLite database in its own folder through mattn/go-sqlite3 (cgo, built with gcc), written to
 * while it runs, and hands its socket over with go/hotreload. Watched with every file counting:
 * its database never reloads it; an edit reloads; a syntax error lands at its line while the old
 * version serves; handoffs under load lose no request; nothing is left after stop.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { answers, reloadsUnderLoad, startProject } from './frameworks';
import { setGreeting } from './harness';
import { commandAvailable, goAvailable } from '../support/examples';
import { ginSqliteApp } from '../support/goProjects';
import { httpGet } from '../support/http';
import { eventually } from '../support/waiting';

const skip = !goAvailable() ? 'go is not installed' : !commandAvailable('gcc') ? 'gcc is not installed' : false;

test(
  'Gin with SQLite in its folder (cgo): its database never reloads it; edits, a syntax error and handoffs under load',
  { skip, timeout: 900_000 },
  async () => {
    const dir = ginSqliteApp();
    // Every file counts (an empty extension list): the database and its -wal and -shm are in reach.
    const s = await startProject(dir, { strategy: 'auto', extensions: [], readyTimeoutMs: 60_000 });
    try {
      assert.equal(s.first.outcome, 'started', s.first.message);
      assert.equal(s.first.strategy, 'handoff');
      await answers(s.port, '/', 'gin v0');
      const said = (pattern: RegExp) => s.t.events.some((e) => e.type === 'log' && pattern.test(e.message));
      assert.ok(said(/^building with cgo: github\.com\/mattn\/go-sqlite3 uses it$/), 'the log says why cgo is on');
      await eventually('the database is learnt as the program’s', () => said(/^ignoring changes to data\/app\.db\b/) || undefined);
      const visits = Number((await httpGet(s.port, '/visits')).body);
      await eventually('20 more rows written', async () => (Number((await httpGet(s.port, '/visits')).body) >= visits + 20 ? true : undefined), {
        timeoutMs: 30_000,
      });
      assert.equal(s.t.reports().length, 1, 'the program reloaded itself by writing its database');

      setGreeting(dir, 'gin v1');
      assert.equal((await s.t.report(2)).outcome, 'handed-off');
      await answers(s.port, '/', 'gin v1');

      const greeting = path.join(dir, 'greeting.go');
      const good = fs.readFileSync(greeting, 'utf8');
      fs.writeFileSync(greeting, good.replace('return "gin v1"', 'return "gin v1" +'));
      const failed = await s.t.report(3);
      assert.equal(failed.outcome, 'build-failed');
      const diagnostic = s.t.lastDiagnostics().find((d) => d.file === greeting);
      assert.ok(diagnostic, `a diagnostic in greeting.go: ${JSON.stringify(s.t.lastDiagnostics())}`);
      assert.equal(diagnostic.line, 6, diagnostic.message);
      await answers(s.port, '/', 'gin v1', 5000);
      fs.writeFileSync(greeting, good);
      assert.equal((await s.t.report(4)).outcome, 'handed-off');

      await reloadsUnderLoad(s, {
        reloads: 5,
        firstReport: 5,
        outcome: 'handed-off',
        path: '/',
        edit: (i) => setGreeting(dir, `gin v${i + 1}`),
        expected: (i) => `gin v${i + 1}`,
      });
      assert.equal(s.t.reports().length, 9, 'no reload but the edits’');
    } finally {
      await s.stop();
    }
  },
);
