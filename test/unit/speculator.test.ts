/**
 * Builds before the save, through a session with a fake builder: when a build of the unsaved
 * buffers starts, what drops it, when a save uses it, and that nothing of it shows before.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { failed, fakeBuffers, startFakeSession, type Harness } from '../support/fakeParts';
import { SPECULATE_AFTER_MS } from '../../src/engine/session/intake/speculator';
import { settle } from '../support/fakeClock';

/** A session running v1 from main.go, whose builds the test settles by hand. */
async function running(): Promise<Harness> {
  fakeBuffers.formatted = undefined;
  const h = await startFakeSession();
  fs.writeFileSync(path.join(h.dir, 'main.go'), 'package main // v1\n');
  await h.until('v1 running', () => h.session.currentState === 'running');
  h.builder.auto = undefined;
  return h;
}

const background = (h: Harness) => h.builder.builds.filter((b) => b.options.background);
/** The pause in typing is over: a build of the buffers starts. */
const pause = (h: Harness) => h.clock.advance(SPECULATE_AFTER_MS);
const overlayText = (b: Harness['builder']['builds'][number], file: string) => b.options.overlay?.get(file)?.toString('utf8');

test('a pause in typing builds the unsaved text in the background, silently; the save that matches it deploys it without building', async () => {
  const h = await running();
  try {
    const file = path.join(h.dir, 'main.go');
    const eventsBefore = h.events.length;
    h.session.editorBuffer(file, 'package main // v');
    h.session.editorBuffer(file, 'package main // v2\n');
    await h.clock.advance(SPECULATE_AFTER_MS - 1);
    assert.equal(background(h).length, 0, 'not while typing');
    await h.clock.advance(1);
    await h.until('a background build', () => background(h).length === 1);
    const spec = background(h)[0];
    assert.equal(overlayText(spec, file), 'package main // v2\n', 'built from the buffer’s last text');
    spec.settle({ kind: 'ok', file: spec.outFile, output: '' });
    await settle();
    assert.equal(h.events.length, eventsBefore, 'nothing shows before the save: no state, no report, no diagnostics');
    assert.equal(h.strategy.deploys.length, 1);

    const builds = h.builder.builds.length;
    await h.save('main.go', 'package main // v2\n');
    await h.until('v2 running', () => h.session.currentVersion === 2);
    assert.equal(h.builder.builds.length, builds, 'the save built nothing');
    const report = h.reports()[1];
    assert.equal(report.builtBeforeSave, true);
    assert.equal(report.outcome, 'restarted');
    assert.equal(fs.readFileSync(h.strategy.deploys[1].path, 'utf8'), 'binary', 'the candidate is what runs');
  } finally {
    await h.dispose();
  }
});

test('a save of other content than the candidate’s builds for real, and the report says so', async () => {
  const h = await running();
  try {
    const file = path.join(h.dir, 'main.go');
    h.session.editorBuffer(file, 'package main // typed\n');
    await pause(h);
    await h.until('a background build', () => background(h).length === 1);
    background(h)[0].settle({ kind: 'ok', file: background(h)[0].outFile, output: '' });
    await h.save('main.go', 'package main // something else\n');
    await h.until('a real build', () => h.builder.builds.filter((b) => !b.options.background).length === 2);
    h.builder.builds.at(-1)!.settle({ kind: 'ok', file: h.builder.builds.at(-1)!.outFile, output: '' });
    await h.until('v2 running', () => h.session.currentVersion === 2);
    assert.equal(h.reports()[1].builtBeforeSave, false);
  } finally {
    await h.dispose();
  }
});

test('the next keystroke drops the build under way; the next pause builds the new text', async () => {
  const h = await running();
  try {
    const file = path.join(h.dir, 'main.go');
    h.session.editorBuffer(file, 'package main // a\n');
    await pause(h);
    await h.until('a background build', () => background(h).length === 1);
    h.session.editorBuffer(file, 'package main // ab\n');
    assert.equal(background(h)[0].signal.aborted, true, 'dropped at the keystroke');
    await pause(h);
    await h.until('a second background build', () => background(h).length === 2);
    assert.equal(overlayText(background(h)[1], file), 'package main // ab\n');
  } finally {
    await h.dispose();
  }
});

test('format-on-save: the formatted text is built; the formatter’s own edit keeps the build, and the formatted save uses it', async () => {
  const h = await running();
  try {
    fakeBuffers.formatted = (text) => text.replace(/ {2}/g, '\t');
    const file = path.join(h.dir, 'main.go');
    h.session.editorBuffer(file, 'package main\n\nfunc f() {\n  println(2)\n}\n');
    await pause(h);
    await h.until('a background build', () => background(h).length === 1);
    const spec = background(h)[0];
    assert.equal(overlayText(spec, file), 'package main\n\nfunc f() {\n\tprintln(2)\n}\n', 'the gofmt-ed text');
    h.session.editorBuffer(file, 'package main\n\nfunc f() {\n\tprintln(2)\n}\n'); // the format-on-save edit
    assert.equal(spec.signal.aborted, false, 'the formatter’s edit is the text being built');
    spec.settle({ kind: 'ok', file: spec.outFile, output: '' });
    await h.save('main.go', 'package main\n\nfunc f() {\n\tprintln(2)\n}\n');
    await h.until('v2 running', () => h.session.currentVersion === 2);
    assert.equal(h.reports()[1].builtBeforeSave, true);
  } finally {
    await h.dispose();
  }
});

test('without format-on-save the unformatted save misses once, then the raw text is built', async () => {
  const h = await running();
  try {
    fakeBuffers.formatted = (text) => text.replace(/ {2}/g, '\t');
    const file = path.join(h.dir, 'main.go');
    const raw = (n: number) => `package main\n\nfunc f() {\n  println(${n})\n}\n`;
    h.session.editorBuffer(file, raw(2));
    await pause(h);
    await h.until('a background build', () => background(h).length === 1);
    background(h)[0].settle({ kind: 'ok', file: background(h)[0].outFile, output: '' });
    await h.save('main.go', raw(2)); // saved as typed: the formatted candidate does not match
    await h.until('a real build', () => h.builder.builds.filter((b) => !b.options.background).length === 2);
    h.builder.builds.at(-1)!.settle({ kind: 'ok', file: h.builder.builds.at(-1)!.outFile, output: '' });
    await h.until('v2 running', () => h.session.currentVersion === 2);
    assert.equal(h.reports()[1].builtBeforeSave, false);

    h.session.editorBuffer(file, raw(3));
    await pause(h);
    await h.until('a second background build', () => background(h).length === 2);
    assert.equal(overlayText(background(h)[1], file), raw(3), 'learnt from the save: the text as typed');
    background(h)[1].settle({ kind: 'ok', file: background(h)[1].outFile, output: '' });
    await h.save('main.go', raw(3));
    await h.until('v3 running', () => h.session.currentVersion === 3);
    assert.equal(h.reports()[2].builtBeforeSave, true);
  } finally {
    await h.dispose();
  }
});

test('a background build that fails shows nothing; the save builds for real and shows the errors', async () => {
  const h = await running();
  try {
    const file = path.join(h.dir, 'main.go');
    h.session.editorBuffer(file, 'package main // broken\n');
    await pause(h);
    await h.until('a background build', () => background(h).length === 1);
    const before = h.events.length;
    background(h)[0].settle(failed());
    await settle();
    assert.equal(h.events.length, before, 'no diagnostics, no state');
    await h.save('main.go', 'package main // broken\n');
    await h.until('a real build', () => h.builder.builds.filter((b) => !b.options.background).length === 2);
    h.builder.builds.at(-1)!.settle(failed());
    await h.until('failed', () => h.session.currentState === 'failed');
    assert.equal(h.events.filter((e) => e.type === 'diagnostics').length, 1);
  } finally {
    await h.dispose();
  }
});

test('two dirty files, one saved: the candidate holds unsaved text and is not used; the second save uses it', async () => {
  const h = await running();
  try {
    fs.writeFileSync(path.join(h.dir, 'b.go'), 'package main // b1\n');
    const a = path.join(h.dir, 'main.go');
    const b = path.join(h.dir, 'b.go');
    h.session.editorBuffer(a, 'package main // a2\n');
    h.session.editorBuffer(b, 'package main // b2\n');
    await pause(h);
    await h.until('a background build', () => background(h).length === 1);
    assert.equal(background(h)[0].options.overlay?.size, 2);
    background(h)[0].settle({ kind: 'ok', file: background(h)[0].outFile, output: '' });
    await h.save('main.go', 'package main // a2\n');
    await h.until('a real build', () => h.builder.builds.filter((x) => !x.options.background).length === 2);
    h.builder.builds.at(-1)!.settle({ kind: 'ok', file: h.builder.builds.at(-1)!.outFile, output: '' });
    await h.until('v2 running', () => h.session.currentVersion === 2);
    assert.equal(h.reports()[1].builtBeforeSave, false, 'b.go’s unsaved text must not run');
    const builds = h.builder.builds.length;
    await h.save('b.go', 'package main // b2\n');
    await h.until('v3 running', () => h.session.currentVersion === 3);
    assert.equal(h.reports()[2].builtBeforeSave, true);
    assert.equal(h.builder.builds.length, builds);
  } finally {
    await h.dispose();
  }
});

test('a save while the matching background build runs: whichever finishes first is used, the other cancelled', async () => {
  const h = await running();
  try {
    const file = path.join(h.dir, 'main.go');
    h.session.editorBuffer(file, 'package main // v2\n');
    await pause(h);
    await h.until('a background build', () => background(h).length === 1);
    const spec = background(h)[0];
    await h.save('main.go', 'package main // v2\n');
    await h.until('a real build beside it', () => h.builder.builds.filter((b) => !b.options.background).length === 2);
    const real = h.builder.builds.at(-1)!;
    spec.settle({ kind: 'ok', file: spec.outFile, output: '' });
    await h.until('v2 running', () => h.session.currentVersion === 2);
    assert.equal(real.signal.aborted, true, 'the real build gave way');
    assert.equal(h.reports()[1].builtBeforeSave, true);

    h.session.editorBuffer(file, 'package main // v3\n');
    await pause(h);
    await h.until('a second background build', () => background(h).length === 2);
    const spec3 = background(h)[1];
    await h.save('main.go', 'package main // v3\n');
    await h.until('a real build beside it', () => h.builder.builds.filter((b) => !b.options.background).length === 3);
    const real3 = h.builder.builds.at(-1)!;
    real3.settle({ kind: 'ok', file: real3.outFile, output: '' });
    await h.until('v3 running', () => h.session.currentVersion === 3);
    assert.equal(spec3.signal.aborted, true, 'the background build gave way');
    assert.equal(h.reports()[2].builtBeforeSave, false);
  } finally {
    await h.dispose();
  }
});

test('a change on disk to a file the candidate read from disk makes it stale', async () => {
  const h = await running();
  try {
    fs.writeFileSync(path.join(h.dir, 'b.go'), 'package main // b1\n');
    const file = path.join(h.dir, 'main.go');
    h.session.editorBuffer(file, 'package main // v2\n');
    await pause(h);
    await h.until('a background build', () => background(h).length === 1);
    background(h)[0].settle({ kind: 'ok', file: background(h)[0].outFile, output: '' });
    // b.go changes outside the editor, then main.go is saved as built.
    await h.save('b.go', 'package main // b2\n');
    await h.until('a real build', () => h.builder.builds.filter((b) => !b.options.background).length === 2);
    h.builder.builds.at(-1)!.settle({ kind: 'ok', file: h.builder.builds.at(-1)!.outFile, output: '' });
    await h.until('v2 running', () => h.session.currentVersion === 2);
    await h.save('main.go', 'package main // v2\n');
    await h.until('another real build', () => h.builder.builds.filter((b) => !b.options.background).length === 3);
    assert.equal(h.reports().length, 2, 'the stale candidate was not deployed');
  } finally {
    await h.dispose();
  }
});

test('buildBeforeSave off: buffers build nothing, and the log says why once', async () => {
  const h = await startFakeSession({ buildBeforeSave: false });
  try {
    await h.until('v1 running', () => h.session.currentState === 'running');
    const file = path.join(h.dir, 'main.go');
    h.session.editorBuffer(file, 'package main // a\n');
    h.session.editorBuffer(file, 'package main // ab\n');
    await h.clock.advance(SPECULATE_AFTER_MS * 2);
    assert.equal(background(h).length, 0);
    const said = h.events.filter((e) => e.type === 'log' && /builds before the save are off: the buildBeforeSave setting is off/.test(e.message));
    assert.equal(said.length, 1);
  } finally {
    await h.dispose();
  }
});
