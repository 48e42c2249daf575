/**
 * The programs the peers benchmark reloads, small and large, Go and Node: examples/handoff (a
 * 20-line Go service), the Gin app of test/support/goProjects.ts (about 300 packages),
 * examples/node-ts (an Express service in TypeScript) and the NestJS app `nest new` makes (about
 * 430 npm packages, test/support/realProjects.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { setGreeting } from '../../test/integration/harness';
import { copyExampleForBuild } from '../../test/integration/zeroDowntime';
import { ginSqliteApp } from '../../test/support/goProjects';
import { copyNodeExample, setNodeGreeting } from '../../test/support/nodeExamples';
import { copyRealProject } from '../../test/support/realProjects';
import type { Program } from './subjects';

export type ProgramName = 'go-small' | 'go-large' | 'node-small' | 'node-large';

export const PROGRAMS: Record<ProgramName, Program & { language: 'go' | 'node' }> = {
  'go-small': {
    name: 'examples/handoff (Go, 20 lines)',
    language: 'go',
    make: () => copyExampleForBuild('handoff'),
    edit: setGreeting,
    initial: 'hello, world',
    startTimeoutMs: 120_000,
  },
  'go-large': {
    name: 'Gin web app (Go, ~300 packages)',
    language: 'go',
    make: () => ginSqliteApp('hello, world', { database: false }),
    edit: setGreeting,
    initial: 'hello, world',
    startTimeoutMs: 300_000,
  },
  'node-small': {
    name: 'examples/node-ts (Express, TypeScript)',
    language: 'node',
    make: () => copyNodeExample('node-ts'),
    edit: (dir, text) => setNodeGreeting(dir, text),
    initial: 'hello from TypeScript',
    startTimeoutMs: 120_000,
  },
  'node-large': {
    name: 'NestJS app from `nest new` (~430 packages)',
    language: 'node',
    make: () => copyRealProject('nest'),
    edit: (dir, text) =>
      fs.writeFileSync(
        path.join(dir, 'src', 'greeting', 'greeting.service.ts'),
        `import { Injectable } from '@nestjs/common';\n\n@Injectable()\nexport class GreetingService {\n  text(): string {\n    return ${JSON.stringify(text)};\n  }\n}\n`,
      ),
    initial: 'Hello from the greeting module!',
    startTimeoutMs: 300_000,
  },
};
