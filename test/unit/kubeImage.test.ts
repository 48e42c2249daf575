/**
 * scripts/kube-image.sh writes what `ctr images import` reads as a docker archive: a manifest
 * naming the image, a config whose file name is its digest and whose diff_ids are the layers'
 * digests, the entrypoint as given, and one reproducible layer holding the folder.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../support/examples';
import { tempDir, writeFile } from '../support/files';
import { scratchImageTar } from '../support/kube';

const sha256 = (file: string): string => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

function unpack(tar: string): string {
  const dir = tempDir('hr-image-out-');
  execFileSync('tar', ['-xf', tar, '-C', dir]);
  return dir;
}

test('kube-image.sh: a docker archive whose manifest, config and layer agree', () => {
  const binary = writeFile(path.join(tempDir('hr-image-in-'), 'app'), '#!/bin/false\n');
  const tar = scratchImageTar({ binary, ref: 'hotreload.invalid/app:test' });
  const out = unpack(tar);

  const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')) as { Config: string; RepoTags: string[]; Layers: string[] }[];
  assert.equal(manifest.length, 1);
  const [{ Config, RepoTags, Layers }] = manifest;
  assert.deepEqual(RepoTags, ['hotreload.invalid/app:test']);
  assert.equal(Config, `${sha256(path.join(out, Config))}.json`, "the config's name is its digest");
  assert.equal(Layers.length, 1);

  const config = JSON.parse(fs.readFileSync(path.join(out, Config), 'utf8')) as {
    os: string;
    architecture: string;
    config: { Entrypoint: string[] };
    rootfs: { type: string; diff_ids: string[] };
  };
  assert.deepEqual([config.os, config.architecture], ['linux', 'amd64']);
  assert.deepEqual(config.config.Entrypoint, ['/app']);
  assert.deepEqual(config.rootfs, { type: 'layers', diff_ids: [`sha256:${sha256(path.join(out, Layers[0]))}`] });

  const listing = execFileSync('tar', ['-tvf', path.join(out, Layers[0]), '--numeric-owner'], { encoding: 'utf8' });
  assert.match(listing, /^-rwxr-xr-x 0\/0 +\d+ 1970-01-01 00:00 \.\/app$/m, 'the binary, executable, owned by root, time zero');
});

test('kube-image.sh: the same folder makes the same archive (the layer is reproducible)', () => {
  const binary = writeFile(path.join(tempDir('hr-image-in-'), 'app'), 'same bytes\n');
  const first = scratchImageTar({ binary, ref: 'hotreload.invalid/app:same' });
  fs.utimesSync(binary, new Date(), new Date(Date.now() + 60_000));
  const second = scratchImageTar({ binary, ref: 'hotreload.invalid/app:same' });
  assert.equal(sha256(first), sha256(second));
});

test('kube-image.sh: an entrypoint word with quotes or backslashes stays one JSON string', () => {
  const rootfs = tempDir('hr-image-rootfs-');
  writeFile(path.join(rootfs, 'app'), 'x');
  const tar = path.join(tempDir('hr-image-tar-'), 'image.tar');
  execFileSync('bash', [path.join(repoRoot, 'scripts', 'kube-image.sh'), tar, 'hotreload.invalid/app:q', rootfs, '/app', 'say "hi"\\now']);
  const out = unpack(tar);
  const [{ Config }] = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')) as { Config: string }[];
  const config = JSON.parse(fs.readFileSync(path.join(out, Config), 'utf8')) as { config: { Entrypoint: string[] } };
  assert.deepEqual(config.config.Entrypoint, ['/app', 'say "hi"\\now']);
});
