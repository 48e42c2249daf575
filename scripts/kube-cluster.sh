#!/usr/bin/env bash
# A real single-node Kubernetes cluster inside one folder, for the tests:
# etcd, kube-apiserver, kube-controller-manager, kube-scheduler, containerd and
# a kubelet, all on 127.0.0.1, from the binaries scripts/install-kube.sh
# builds. `start` returns once the cluster can run a Deployment (API ready,
# node registered and Ready, the default ServiceAccount there) and leaves
# DIR/kubeconfig and DIR/bin/kubectl; `stop` removes the pods, stops every component,
# unmounts, removes what the kubelet writes outside DIR and restores the kernel
# settings it changed, then checks that no process, mount or cgroup of the
# cluster is left. One cluster per machine:
# the kubelet has paths of its own that no setting moves.
#
# Usage: bash scripts/kube-cluster.sh start DIR    (DIR: an empty folder)
#        bash scripts/kube-cluster.sh stop DIR     (leaves DIR and its logs/)
#   HOTRELOAD_KUBE_BIN: the binaries (default: what install-kube.sh prints)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
T0=$SECONDS
log() { echo "[kube-cluster +$((SECONDS - T0))s] $*" >&2; }
die() { echo "[kube-cluster] ERROR: $*" >&2; exit 1; }
[ $# = 2 ] || die "usage: $0 start|stop DIR"
[ "$(id -u)" = 0 ] || die "the kubelet and containerd need root"
ACTION="$1"
mkdir -p "$2"
DIR="$(cd "$2" && pwd)"
# Where one cluster's owner is written: the kubelet's fixed paths (its
# device-plugin socket, /var/log/containers) allow one at a time.
OWNER_FILE=/run/lock/hotreload-kube.owner
# Paths the kubelet, containerd and mount(8) write outside DIR, whatever the
# settings; stop removes those that did not exist before start.
OUTSIDE_PATHS=(/var/lib/kubelet /var/log/containers /var/log/pods /run/mount /run/containerd /var/run/netns)
# The kernel settings the kubelet sets to its liking at start (kernel.panic=10,
# vm.overcommit_memory=1 …) for the whole machine; stop puts them back.
KUBELET_SYSCTLS=(vm/overcommit_memory vm/panic_on_oom kernel/panic kernel/panic_on_oops
  kernel/keys/root_maxkeys kernel/keys/root_maxbytes)
source "$HERE/kube/config.sh"
source "$HERE/kube/processes.sh"

if [ "$ACTION" = stop ]; then
  source "$HERE/kube/stop.sh"
  stop_cluster
  exit $?
fi
[ "$ACTION" = start ] || die "unknown action $ACTION (start or stop)"

BIN="${HOTRELOAD_KUBE_BIN:-}"
[ -n "$BIN" ] || BIN="$(bash "$HERE/install-kube.sh" | tail -1)"
for b in etcd kube-apiserver kube-controller-manager kube-scheduler kubelet kubectl containerd runc pause cni/loopback; do
  [ -x "$BIN/$b" ] || die "no $BIN/$b: run scripts/install-kube.sh"
done
[ -z "$(ls -A "$DIR")" ] || die "$DIR is not empty"
if [ -e "$OWNER_FILE" ] && cluster_alive "$(cat "$OWNER_FILE")"; then
  die "a cluster already runs from $(cat "$OWNER_FILE") (stop it first)"
fi
mkdir -p "$DIR/run" "$DIR/logs" "$DIR/bin" /run/lock
echo "$DIR" >"$OWNER_FILE"
echo "$BIN" >"$DIR/run/bin"
# A folder for the PATH with kubectl alone (not the cluster's containerd and runc).
ln -s "$BIN/kubectl" "$DIR/bin/kubectl"
for p in "${OUTSIDE_PATHS[@]}"; do [ -e "$p" ] || echo "$p"; done >"$DIR/run/outside-new"
for k in "${KUBELET_SYSCTLS[@]}"; do echo "$k $(cat "/proc/sys/$k")"; done >"$DIR/run/sysctl-before"

# Free loopback ports, as the kernel hands them out.
read -r ETCD_PORT ETCD_PEER_PORT API_PORT KUBELET_PORT < <(node -e '
  const net = require("net");
  const servers = [0, 1, 2, 3].map(() => net.createServer().listen(0, "127.0.0.1"));
  Promise.all(servers.map((s) => new Promise((r) => s.on("listening", r)))).then(() => {
    console.log(servers.map((s) => s.address().port).join(" "));
    servers.forEach((s) => s.close());
  });')
SERVICE_IP=10.96.0.1
PAUSE_IMAGE=hotreload.invalid/pause:v1
KUBECTL=("$BIN/kubectl" --kubeconfig "$DIR/kubeconfig")

write_pki
write_tokens
write_containerd_config
write_kubelet_config

log "etcd on 127.0.0.1:$ETCD_PORT"
start_component etcd "$BIN/etcd" --name default --data-dir "$DIR/etcd" --unsafe-no-fsync --log-level warn \
  --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
  --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-cluster "default=http://127.0.0.1:$ETCD_PEER_PORT" --listen-metrics-urls ""
wait_for 60 "etcd healthy" etcd curl -sf "http://127.0.0.1:$ETCD_PORT/health"

log "kube-apiserver on 127.0.0.1:$API_PORT"
start_component kube-apiserver "$BIN/kube-apiserver" --etcd-servers "http://127.0.0.1:$ETCD_PORT" \
  --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$API_PORT" --cert-dir "$DIR/pki" \
  --tls-cert-file "$DIR/pki/apiserver.crt" --tls-private-key-file "$DIR/pki/apiserver.key" \
  --client-ca-file "$DIR/pki/ca.crt" --token-auth-file "$DIR/pki/tokens.csv" \
  --authorization-mode Node,RBAC --allow-privileged \
  --service-account-issuer https://kubernetes.default.svc --service-account-key-file "$DIR/pki/sa.pub" \
  --service-account-signing-key-file "$DIR/pki/sa.key" --service-cluster-ip-range "${SERVICE_IP%.1}.0/24" \
  --endpoint-reconciler-type none --kubelet-preferred-address-types Hostname \
  --kubelet-client-certificate "$DIR/pki/apiserver-kubelet-client.crt" \
  --kubelet-client-key "$DIR/pki/apiserver-kubelet-client.key" --profiling=false
wait_for 120 "kube-apiserver ready" kube-apiserver "${KUBECTL[@]}" get --raw /readyz

log "containerd on $DIR/containerd/containerd.sock"
start_component containerd env PATH="$BIN:$PATH" "$BIN/containerd" --config "$DIR/containerd/config.toml"
wait_for 60 "containerd serving" containerd "$BIN/ctr" --address "$DIR/containerd/containerd.sock" version
mkdir -p "$DIR/images/pause"
cp "$BIN/pause" "$DIR/images/pause/pause"
bash "$HERE/kube-image.sh" "$DIR/images/pause.tar" "$PAUSE_IMAGE" "$DIR/images/pause" /pause
"$BIN/ctr" --address "$DIR/containerd/containerd.sock" -n k8s.io images import --snapshotter native \
  "$DIR/images/pause.tar" >/dev/null

log "kubelet on 127.0.0.1:$KUBELET_PORT"
start_component kubelet "$BIN/kubelet" --config "$DIR/kubelet/config.yaml" --kubeconfig "$DIR/pki/kubelet.kubeconfig" \
  --root-dir "$DIR/kubelet/root" --cert-dir "$DIR/pki" --hostname-override localhost -v 1
start_component kube-controller-manager "$BIN/kube-controller-manager" \
  --kubeconfig "$DIR/pki/controller-manager.kubeconfig" --use-service-account-credentials \
  --bind-address 127.0.0.1 --secure-port 0 --leader-elect=false --cert-dir "$DIR/pki" \
  --service-account-private-key-file "$DIR/pki/sa.key" --root-ca-file "$DIR/pki/ca.crt" --profiling=false
start_component kube-scheduler "$BIN/kube-scheduler" --kubeconfig "$DIR/pki/scheduler.kubeconfig" \
  --bind-address 127.0.0.1 --secure-port 0 --leader-elect=false --profiling=false

wait_for 120 "node localhost registered" kubelet "${KUBECTL[@]}" get node localhost
wait_for 120 "node localhost Ready" kubelet \
  "${KUBECTL[@]}" wait --for=condition=Ready node/localhost --timeout=1s
wait_for 120 "the default ServiceAccount" kube-controller-manager \
  "${KUBECTL[@]}" get serviceaccount default --namespace default
wait_for 120 "the kube-root-ca.crt ConfigMap" kube-controller-manager \
  "${KUBECTL[@]}" get configmap kube-root-ca.crt --namespace default
log "ready: export KUBECONFIG=$DIR/kubeconfig ($("${KUBECTL[@]}" get node localhost -o jsonpath='{.status.nodeInfo.kubeletVersion}'))"
