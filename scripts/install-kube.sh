#!/usr/bin/env bash
# What a single-node Kubernetes cluster needs on this machine, built or
# unpacked once into a cache folder keyed by version and reused after:
#
#   bin/  kube-apiserver kube-controller-manager kube-scheduler kubelet kubectl
#         etcd            built from their Go modules through the module proxy
#         containerd containerd-shim-runc-v2 ctr runc
#                         Debian's packages, unpacked (apt-get download)
#         pause           the pod sandbox's process, gcc -static from the
#                         Kubernetes module's own pause.c
#
# No registry serves Kubernetes release binaries or images here, so the Go
# components are compiled: one `go build` of all six packages in one module
# (Kubernetes' go.mod with its staging modules pinned to their published
# versions), so the packages they share compile once. etcd is built at the
# version Kubernetes pins, in the same module graph.
#
# Usage: bash scripts/install-kube.sh     prints the bin folder on its last line
#        bash scripts/install-kube.sh --installed   prints it if everything is
#                                       there, else fails (builds nothing)
#   KUBE_VERSION (default below), HOTRELOAD_KUBE_CACHE (default
#   ~/.cache/hotreload-ci/kube-$KUBE_VERSION).
set -euo pipefail

KUBE_VERSION="${KUBE_VERSION:-v1.37.2}"
CACHE="${HOTRELOAD_KUBE_CACHE:-$HOME/.cache/hotreload-ci/kube-$KUBE_VERSION}"
BIN="$CACHE/bin"
T0=$SECONDS
log() { echo "[install-kube +$((SECONDS - T0))s] $*" >&2; }
die() { echo "[install-kube] ERROR: $*" >&2; exit 1; }
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo -n"
ALL=(kube-apiserver kube-controller-manager kube-scheduler kubelet kubectl etcd
  containerd containerd-shim-runc-v2 ctr runc cni/loopback pause)
if [ "${1:-}" = --installed ]; then
  for c in "${ALL[@]}"; do [ -x "$BIN/$c" ] || exit 1; done
  echo "$BIN"
  exit 0
fi
mkdir -p "$BIN"
command -v go >/dev/null 2>&1 || die "no go on the PATH"

GO_COMPONENTS=(kube-apiserver kube-controller-manager kube-scheduler kubelet kubectl etcd)
missing_go=()
for c in "${GO_COMPONENTS[@]}"; do [ -x "$BIN/$c" ] || missing_go+=("$c"); done

# --- The Go components ---------------------------------------------------------
# Where the Kubernetes module sits in the module cache (downloaded if needed);
# pause.c comes from there too.
kube_module_dir() {
  (cd "$CACHE" && GOFLAGS= go mod download -json "k8s.io/kubernetes@$KUBE_VERSION" </dev/null) |
    sed -n 's/^\t"Dir": "\(.*\)",$/\1/p'
}

if [ ${#missing_go[@]} -gt 0 ]; then
  log "building ${missing_go[*]} at Kubernetes $KUBE_VERSION (a cold build: ~22 CPU-minutes, some 15 minutes on 2 idle cores)"
  KUBE_DIR="$(kube_module_dir)"
  [ -n "$KUBE_DIR" ] && [ -f "$KUBE_DIR/go.mod" ] || die "k8s.io/kubernetes@$KUBE_VERSION: not in the module proxy"
  SRC="$CACHE/src"
  rm -rf "$SRC"
  mkdir -p "$SRC"
  # The staging modules (k8s.io/api, client-go, ...) are `v0.0.0` in Kubernetes'
  # go.mod, replaced by in-tree folders that a dependent module cannot see: pin
  # each to its published twin, v1.X.Y -> v0.X.Y.
  staging_version="v0.${KUBE_VERSION#v1.}"
  etcd_version="$(sed -n 's/^\tgo.etcd.io\/etcd\/server\/v3 \(v[^ ]*\).*/\1/p' "$KUBE_DIR/go.mod")"
  [ -n "$etcd_version" ] || die "no etcd version pinned in Kubernetes' go.mod"
  go_directive="$(sed -n 's/^go \(.*\)$/\1/p' "$KUBE_DIR/go.mod")"
  {
    echo "module hotreload.invalid/kube"
    echo
    echo "go $go_directive"
    echo
    echo "require ("
    echo "	k8s.io/kubernetes $KUBE_VERSION"
    echo "	go.etcd.io/etcd/server/v3 $etcd_version"
    echo ")"
    echo
    echo "replace ("
    sed -n 's/^\t\(k8s.io\/[^ ]*\) v0.0.0$/\t\1 => \1 '"$staging_version"'/p' "$KUBE_DIR/go.mod"
    echo ")"
  } >"$SRC/go.mod"
  cp "$KUBE_DIR/go.sum" "$SRC/go.sum"
  chmod u+w "$SRC/go.sum"
  # The version every component reports (nodes say v0.0.0-master otherwise);
  # kubectl's client side reads client-go's copy of these variables.
  minor="${KUBE_VERSION#v1.}"; minor="${minor%%.*}"
  ldflags="-s -w"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X $pkg.gitVersion=$KUBE_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
    ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
  done
  OUT="$CACHE/build-out"
  rm -rf "$OUT"
  mkdir -p "$OUT"
  t_build=$SECONDS
  # GOFLAGS=-mod=mod lets go build add the requirements it finds missing to
  # this throwaway go.mod. The build cache (~3.5 GB) is its own, kept while a
  # build fails (the next try resumes) and removed once the binaries are here.
  export GOCACHE="$CACHE/go-build"
  (cd "$SRC" && CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -ldflags "$ldflags" -o "$OUT/" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubelet k8s.io/kubernetes/cmd/kubectl \
    go.etcd.io/etcd/server/v3 </dev/null)
  # A module path ending in /v3 names its binary after the element before it.
  mv "$OUT/server" "$OUT/etcd"
  for c in "${GO_COMPONENTS[@]}"; do mv -f "$OUT/$c" "$BIN/$c"; done
  rm -rf "$OUT" "$GOCACHE"
  log "built the Go components in $((SECONDS - t_build))s"
fi

# --- containerd, runc, CNI's loopback: Debian's packages, unpacked -------------
# CNI's loopback plugin is the node's whole pod network: with it the runtime
# reports its network ready, so the node is Ready and has no not-ready taint
# (the scheduler places a Deployment's pods). Pods run with hostNetwork: a pod
# with a network of its own fails its sandbox ("failed to find network info":
# containerd wants an eth0, and nothing here may route to a pod address).
if [ ! -x "$BIN/containerd" ] || [ ! -x "$BIN/runc" ] || [ ! -x "$BIN/cni/loopback" ]; then
  log "unpacking Debian's containerd, runc and containernetworking-plugins"
  debs="$(mktemp -d)"
  chmod 755 "$debs"
  if id _apt >/dev/null 2>&1; then chown _apt "$debs"; fi # apt downloads as its sandbox user
  download() { (cd "$debs" && apt-get -o Acquire::Retries=3 download -qq containerd runc containernetworking-plugins </dev/null); }
  # Package lists that are missing or stale (a version the mirror dropped) are
  # refreshed once.
  if ! download; then
    $SUDO apt-get -o DPkg::Lock::Timeout=900 -o Acquire::Retries=3 update -qq </dev/null
    download
  fi
  for deb in "$debs"/*.deb; do dpkg-deb -x "$deb" "$debs/root"; done
  for b in containerd containerd-shim-runc-v2 ctr; do install -m 0755 "$debs/root/usr/bin/$b" "$BIN/$b"; done
  install -m 0755 "$debs/root/usr/sbin/runc" "$BIN/runc"
  mkdir -p "$BIN/cni"
  install -m 0755 "$debs/root/usr/lib/cni/loopback" "$BIN/cni/loopback"
  rm -rf "$debs"
fi

# --- pause: the process that holds a pod's sandbox -----------------------------
if [ ! -x "$BIN/pause" ]; then
  log "building pause"
  command -v gcc >/dev/null 2>&1 || die "no gcc on the PATH"
  KUBE_DIR="$(kube_module_dir)"
  gcc -Os -static -Wall -Werror -DVERSION="$KUBE_VERSION" -o "$BIN/pause.tmp" "$KUBE_DIR/build/pause/linux/pause.c"
  strip "$BIN/pause.tmp"
  mv "$BIN/pause.tmp" "$BIN/pause"
fi

log "Kubernetes $("$BIN/kubectl" version --client -o json | sed -n 's/.*"gitVersion": "\(.*\)",/\1/p' | head -1)," \
  "etcd $("$BIN/etcd" --version | sed -n 's/^etcd Version: //p')," \
  "$("$BIN/containerd" --version | cut -d' ' -f3), runc $("$BIN/runc" --version | sed -n 's/^runc version //p')" \
  "in $BIN ($(du -sh "$CACHE" | cut -f1))"
echo "$BIN"
