import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import type { PartialSettings } from '../../src/engine';
import { elfSections } from '../support/elfSections';
import { copyExample } from '../support/examples';
import { httpGet } from '../support/http';
import { freePort } from '../support/ports';
import { eventually } from '../support/waiting';
import { TestSession } from './harness';

/** Starts examples/hello with these settings; returns the sections of the executable that runs, and the log. */
async function runningBinary(layer: PartialSettings): Promise<{ sections: string[]; log: string }> {
  const dir = copyExample('hello');
  const port = await freePort();
  const t = await TestSession.open(dir, { env: { PORT: String(port) }, ...layer }, { watch: false });
  try {
    await t.session.start();
    assert.equal((await t.report(1)).outcome, 'started');
    await eventually('v1 answers', () => httpGet(port));
    const exe = fs.readlinkSync(`/proc/${t.session.currentProgram!.pid}/exe`);
    const log = t.events.flatMap((e) => (e.type === 'log' ? [e.message] : [])).join('\n');
    return { sections: elfSections(exe), log };
  } finally {
    await t.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const debugInfo = (sections: string[]) => sections.some((s) => /^\.z?debug_/.test(s));

test('by default go build gets -ldflags=-s -w and -buildvcs=false: no symbol table, no DWARF, and the log says so', async () => {
  const { sections, log } = await runningBinary({});
  assert.ok(!sections.includes('.symtab'), `no symbol table: ${sections.join(' ')}`);
  assert.ok(!debugInfo(sections), 'no DWARF');
  assert.ok(sections.includes('.gopclntab'), 'the pclntab that gives panics their file:line stays');
  assert.match(log, /go build: Hot Reload adds -ldflags='-s -w' \(a faster link\) and -buildvcs=false/);
});

test('fastBuildFlags off, the user’s own -ldflags, or a debug build keep the symbol table and DWARF', async () => {
  for (const layer of [
    { fastBuildFlags: false },
    { buildFlags: ['-ldflags', '-X main.unused=1'] },
    { buildFlags: ['-gcflags=all=-N -l'] },
  ] as PartialSettings[]) {
    const { sections, log } = await runningBinary(layer);
    assert.ok(sections.includes('.symtab') && debugInfo(sections), `${JSON.stringify(layer)}: symbols and DWARF kept`);
    assert.match(log, /fastBuildFlags/, 'the log names the setting');
  }
});
