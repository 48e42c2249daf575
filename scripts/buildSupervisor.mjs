// Cross-compiles the supervisor (a static Go program, standard library only) into
// dist/supervisor/<platform>/, where the engine looks for it. Platforms are named as VS Code names
// extension targets; the default is this machine's.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';

export const TARGETS = ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64', 'win32-x64'];
const GOARCH = { x64: 'amd64', arm64: 'arm64' };

export function buildSupervisor(platforms = [`${process.platform}-${process.arch}`], distDir) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  for (const platform of platforms) {
    const [os, arch] = platform.split('-');
    const goos = os === 'win32' ? 'windows' : os;
    const out = path.join(distDir ?? path.join(root, 'dist'), 'supervisor', platform, goos === 'windows' ? 'hotreload-supervisor.exe' : 'hotreload-supervisor');
    mkdirSync(path.dirname(out), { recursive: true });
    execFileSync('go', ['build', '-trimpath', '-ldflags=-s -w', '-o', out, '.'], {
      cwd: path.join(root, 'supervisor'),
      env: { ...process.env, CGO_ENABLED: '0', GOOS: goos, GOARCH: GOARCH[arch] ?? arch, GOFLAGS: '-buildvcs=false' },
      stdio: 'inherit',
    });
  }
}
