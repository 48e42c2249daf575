/**
 * The tools agents get, the same over MCP and in VS Code's chat: package.json declares what the
 * engine's table says (`npm run settings` writes it), each with a model description, a schema VS
 * Code accepts, and a name both sides allow.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AGENT_TOOLS, vscodeToolContributions } from '../../src/engine';

const root = path.resolve(__dirname, '..', '..', '..');

test("package.json's languageModelTools are the engine's agent tools (run `npm run settings` after changing them)", () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  assert.deepEqual(pkg.contributes.languageModelTools, vscodeToolContributions());
});

test('each tool has a name MCP and VS Code accept, a reference name, descriptions and an object schema', () => {
  assert.deepEqual(
    AGENT_TOOLS.map((t) => t.name),
    ['hotreload_wait', 'hotreload_status', 'hotreload_errors', 'hotreload_logs', 'hotreload_restart'],
  );
  for (const tool of AGENT_TOOLS) {
    assert.match(tool.name, /^[a-z_]{1,64}$/, tool.name);
    assert.match(tool.referenceName, /^[a-zA-Z]+$/, tool.name);
    assert.ok(tool.description.length > 60 && tool.userDescription.length > 20, tool.name);
    assert.equal(tool.inputSchema.type, 'object');
    for (const [name, property] of Object.entries(tool.inputSchema.properties)) assert.ok(property.description.length > 10, `${tool.name}.${name}`);
  }
});
