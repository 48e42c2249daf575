import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findUp, type Holds } from '../../src/engine/kernel/findUp';
import { isAtOrInside, isFile } from '../../src/engine/kernel/paths';
import { tempDir, writeFile } from '../support/files';

/** The disk, seen only inside `root`: what lies above the temp dir cannot change the answer. */
const within =
  (root: string): Holds =>
  (dir, name) =>
    isAtOrInside(root, dir) && isFile(path.join(dir, name));

test('findUp: the nearest folder holding any of the names, from the folder itself up', () => {
  const root = tempDir('hr-findup-');
  writeFile(path.join(root, 'go.mod'));
  writeFile(path.join(root, 'web', 'package.json'));
  fs.mkdirSync(path.join(root, 'web', 'src', 'lib'), { recursive: true });
  fs.mkdirSync(path.join(root, 'web', 'go.mod', 'x'), { recursive: true }); // a folder named like the file is not it
  const holds = within(root);
  assert.equal(findUp(path.join(root, 'web', 'src', 'lib'), 'package.json', holds), path.join(root, 'web'));
  assert.equal(findUp(path.join(root, 'web', 'src', 'lib'), 'go.mod', holds), root);
  assert.equal(findUp(path.join(root, 'web', 'go.mod', 'x'), 'go.mod', holds), root);
  assert.equal(findUp(path.join(root, 'web', 'src'), ['go.mod', 'package.json'], holds), path.join(root, 'web'), 'the nearer of several names');
  assert.equal(findUp(root, 'go.mod', holds), root, 'the folder itself counts');
  assert.equal(findUp(path.join(root, 'web', 'src', '..', 'src'), 'package.json', holds), path.join(root, 'web'), 'a relative-looking path is resolved');
});

test('findUp: undefined when no folder up to the filesystem root holds it', () => {
  const root = tempDir('hr-findup-');
  fs.mkdirSync(path.join(root, 'a', 'b'), { recursive: true });
  const asked: string[] = [];
  const holds: Holds = (dir, name) => {
    asked.push(dir);
    return within(root)(dir, name);
  };
  assert.equal(findUp(path.join(root, 'a', 'b'), 'go.mod', holds), undefined);
  assert.equal(asked[asked.length - 1], path.parse(root).root, 'it asked up to the filesystem root');
});
