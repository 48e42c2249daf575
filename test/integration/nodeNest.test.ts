/**
 * A NestJS app as `nest new` makes it (constructor injection), with a second module whose service
 * the first module's service gets injected: decorator metadata is emitted (tsconfig's
 * emitDecoratorMetadata), so the request is answered by the injected service under restart,
 * handoff (under load, no request lost) and patch; a syntax error in a decorated file lands in
 * Problems at its line, and an exception at start at its source line, through the decorator
 * compiler's source map.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { answers, reloadsUnderLoad, startProject, syntaxErrorLandsInProblems } from './frameworks';
import { copyRealProject } from '../support/realProjects';
import { eventually } from '../support/waiting';

const INJECTED = 'Hello from the greeting module!';

function greetingService(dir: string): string {
  return path.join(dir, 'src', 'greeting', 'greeting.service.ts');
}

function setGreeting(dir: string, text: string, before = ''): void {
  fs.writeFileSync(
    greetingService(dir),
    `import { Injectable } from '@nestjs/common';\n${before}\n@Injectable()\nexport class GreetingService {\n  text(): string {\n    return ${JSON.stringify(text)};\n  }\n}\n`,
  );
}

test('nest restart: the injected service answers; an edit reloads; errors land at their lines through the decorator compiler', async () => {
  const dir = copyRealProject('nest');
  const s = await startProject(dir, { strategy: 'restart' });
  try {
    assert.equal(s.first.outcome, 'started', s.first.message);
    assert.equal(s.t.session.settings.entry, path.join(dir, 'src', 'main.ts'));
    await answers(s.port, '/', INJECTED);

    setGreeting(dir, 'Hello again, across modules');
    assert.equal((await s.t.report(2)).outcome, 'restarted');
    await answers(s.port, '/', 'Hello again, across modules');

    // app.service.ts has decorators: it goes through the decorator compiler, and its syntax error still lands at its line.
    const appService = path.join(dir, 'src', 'app.service.ts');
    const good = fs.readFileSync(appService, 'utf8');
    await syntaxErrorLandsInProblems(s, {
      file: appService,
      broken: good.replace('return this.greeting.text();', 'return this.greeting.text() +;'),
      line: good.split('\n').findIndex((l) => l.includes('return this.greeting.text();')) + 1,
      reportNumber: 3,
      path: '/',
      serving: 'Hello again, across modules',
    });

    // A throw while the decorated module loads: the diagnostic is at its TypeScript line.
    setGreeting(dir, 'never', "if (process.pid > 0) throw new Error('no greeting module today');\n");
    // (Whether it counts as a crash on start depends on how long Nest's own modules took to load before it.)
    const diagnostic = await eventually('the exception in Problems', () => s.t.lastDiagnostics().find((d) => d.source === 'exception'));
    assert.equal(diagnostic?.file, greetingService(dir), JSON.stringify(s.t.lastDiagnostics()));
    assert.equal(diagnostic?.line, 2);
    assert.equal(diagnostic?.message, 'Error: no greeting module today');
  } finally {
    await s.stop();
  }
});

test('nest handoff: reloads under load lose no request and each answers through the injected service; patch keeps the process', async () => {
  const dir = copyRealProject('nest');
  const handoff = await startProject(dir, { strategy: 'handoff' });
  try {
    assert.equal(handoff.first.outcome, 'started', handoff.first.message);
    await answers(handoff.port, '/', INJECTED);
    await reloadsUnderLoad(handoff, {
      reloads: 5,
      firstReport: 2,
      outcome: 'handed-off',
      path: '/',
      edit: (i) => setGreeting(dir, `handoff ${i}`),
      expected: (i) => `handoff ${i}`,
    });
  } finally {
    await handoff.stop();
  }

  setGreeting(dir, INJECTED);
  const patch = await startProject(dir, { strategy: 'patch' });
  try {
    assert.equal(patch.first.outcome, 'started', patch.first.message);
    await answers(patch.port, '/', INJECTED);
    for (let i = 1; i <= 3; i++) {
      setGreeting(dir, `patched ${i}`);
      const report = await patch.t.report(i + 1);
      assert.equal(report.outcome, 'patched', report.message);
      assert.equal(report.pid, patch.first.pid, 'one process');
      await answers(patch.port, '/', `patched ${i}`, 5000);
    }
  } finally {
    await patch.stop();
  }
});
