import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultSettings } from '../../src/engine/settings/defaults';
import { PatchStrategy } from '../../src/engine/strategies/patch/patch';
import type { HandoffStrategy } from '../../src/engine/strategies/handoff/handoff';
import type { Patcher } from '../../src/engine/languages';

const patcher: Patcher = {
  unsupported: undefined,
  units: [],
  plan: () => ({ units: [] }),
  build: () => Promise.resolve({ kind: 'cancelled' }),
  prune: () => undefined,
  describe: () => 'patch: plugin folders none found',
  unitName: (slot: string) => slot,
};
const handoff = {} as HandoffStrategy;

test('patch under the debugger patches nothing in place, and says so at start', () => {
  const debugged = new PatchStrategy({ ...defaultSettings('/p'), debug: true }, handoff, patcher);
  assert.equal(debugged.inPlace, undefined);
  assert.match(debugged.startNotes()[0].message, /under the debugger nothing is patched in place: each change is a full build/);
  assert.ok(new PatchStrategy(defaultSettings('/p'), handoff, patcher).inPlace, 'without the debugger it patches');
});
