/**
 * A Go module that builds from nothing: its one dependency comes from a module proxy the test lays
 * out on disk (GOPROXY=file://…), and GOCACHE and GOMODCACHE are empty folders, so the first
 * build downloads a module and compiles every package, standard library included. The user's own
 * ~/go and ~/.cache/go-build are never touched.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { storedZip } from './zip';
import { tempDir, writeFile } from './files';

export const DEPENDENCY = 'example.com/greet';
export const DEPENDENCY_VERSION = 'v1.0.0';

export interface ColdGoModule {
  /** The program's module root (package main, serving PORT). */
  dir: string;
  /** Go's environment for the build: the proxy, the empty caches. */
  env: Record<string, string>;
  cache: string;
  /** The proxy's folder, for serveProxy. */
  proxy: string;
  /** Removes it all. */
  remove(): void;
}

export function coldGoModule(): ColdGoModule {
  const root = tempDir('hr-cold-go-');
  const proxy = path.join(root, 'proxy');
  const dep = {
    'go.mod': `module ${DEPENDENCY}\n\ngo 1.21\n`,
    'greet.go': 'package greet\n\n// Hello is what the program says.\nfunc Hello() string { return "hello from a downloaded module" }\n',
  };
  const at = path.join(proxy, DEPENDENCY, '@v');
  writeFile(path.join(at, 'list'), `${DEPENDENCY_VERSION}\n`);
  writeFile(path.join(at, `${DEPENDENCY_VERSION}.info`), JSON.stringify({ Version: DEPENDENCY_VERSION, Time: '2024-01-01T00:00:00Z' }));
  writeFile(path.join(at, `${DEPENDENCY_VERSION}.mod`), dep['go.mod']);
  const zipped = Object.entries(dep).map(([name, text]): [string, Buffer] => [`${DEPENDENCY}@${DEPENDENCY_VERSION}/${name}`, Buffer.from(text)]);
  fs.writeFileSync(path.join(at, `${DEPENDENCY_VERSION}.zip`), storedZip(zipped));
  const dir = path.join(root, 'app');
  // A committed go.sum, as a real project has: go then only reads (-mod=readonly, its default).
  writeFile(
    path.join(dir, 'go.sum'),
    `${DEPENDENCY} ${DEPENDENCY_VERSION} ${hash1(zipped)}\n${DEPENDENCY} ${DEPENDENCY_VERSION}/go.mod ${hash1([['go.mod', Buffer.from(dep['go.mod'])]])}\n`,
  );
  writeFile(path.join(dir, 'go.mod'), `module example.com/app\n\ngo 1.21\n\nrequire ${DEPENDENCY} ${DEPENDENCY_VERSION}\n`);
  writeFile(
    path.join(dir, 'main.go'),
    `package main

import (
	"fmt"
	"net/http"
	"os"

	"${DEPENDENCY}"
)

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, greet.Hello()) })
	if err := http.ListenAndServe("127.0.0.1:"+os.Getenv("PORT"), nil); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
`,
  );
  const cache = path.join(root, 'gocache');
  const modcache = path.join(root, 'gomodcache');
  fs.mkdirSync(cache);
  fs.mkdirSync(modcache);
  const env = {
    GOPROXY: `file://${proxy}`,
    GOCACHE: cache,
    GOMODCACHE: modcache,
    // The module cache stays writable, so the folder can be removed like any other.
    GOFLAGS: '-modcacherw',
    GOSUMDB: 'off',
    GOTOOLCHAIN: 'local',
  };
  return {
    dir,
    env,
    cache,
    proxy,
    remove: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

/** Go's "h1:" checksum of files (golang.org/x/mod/sumdb/dirhash Hash1): SHA-256 of their sorted SHA-256 lines. */
function hash1(files: [string, Buffer][]): string {
  const sha = (data: Buffer | string) => crypto.createHash('sha256').update(data);
  const summary = [...files]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, data]) => `${sha(data).digest('hex')}  ${name}\n`)
    .join('');
  return `h1:${sha(summary).digest('base64')}`;
}

/**
 * Serves the module proxy over HTTP on loopback, each module zip after `latencyMs`, as a real
 * proxy over a network is slow: the download is then long enough to be shown. Use the returned
 * `goproxy` as GOPROXY.
 */
export async function serveProxy(proxyDir: string, latencyMs: number): Promise<{ goproxy: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const file = path.join(proxyDir, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    if (!file.startsWith(proxyDir + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    const send = () => res.writeHead(200).end(fs.readFileSync(file));
    if (file.endsWith('.zip')) setTimeout(send, latencyMs);
    else send();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    goproxy: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
