# Writes what the cluster's components read, all inside the cluster folder:
# a CA and the certificates it signs, the service-account key, the static
# tokens (one identity per component, so RBAC and the Node authorizer apply as
# in a real cluster), a kubeconfig per identity, and the configurations of
# containerd, CNI and the kubelet. Sourced by kube-cluster.sh, which sets DIR,
# BIN, the ports (ETCD_PORT ETCD_PEER_PORT API_PORT KUBELET_PORT), SERVICE_IP
# and PAUSE_IMAGE.

write_pki() {
  local pki="$DIR/pki"
  mkdir -p "$pki"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 7 -subj "/CN=hotreload-kube-ca" \
    -keyout "$pki/ca.key" -out "$pki/ca.crt" 2>/dev/null
  # The API server's serving certificate: loopback, and the names in-cluster
  # clients use. The first address of the service range is the `kubernetes`
  # Service's (a range must exist, and may not be loopback); there is no
  # kube-proxy, so it leads nowhere here: a pod reaches the API only through
  # a kubeconfig naming 127.0.0.1, never through KUBERNETES_SERVICE_HOST.
  sign_cert apiserver "/CN=kube-apiserver" \
    "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,IP:$SERVICE_IP"
  # What the API server shows the kubelet when it proxies exec, logs, port-forward.
  sign_cert apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client" "extendedKeyUsage=clientAuth"
  # The kubelet's serving certificate (else it writes a self-signed one).
  sign_cert kubelet "/CN=localhost" "subjectAltName=IP:127.0.0.1,DNS:localhost"
  openssl ecparam -name prime256v1 -genkey -noout -out "$pki/sa.key" 2>/dev/null
  openssl ec -in "$pki/sa.key" -pubout -out "$pki/sa.pub" 2>/dev/null
}

sign_cert() { # NAME SUBJECT EXTENSION
  local pki="$DIR/pki"
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "$2" -keyout "$pki/$1.key" -out "$pki/$1.csr" 2>/dev/null
  openssl x509 -req -in "$pki/$1.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial -days 7 \
    -extfile <(echo "$3") -out "$pki/$1.crt" 2>/dev/null
  rm -f "$pki/$1.csr"
}

write_tokens() {
  local t_admin t_node t_cm t_sched
  t_admin="$(openssl rand -hex 24)" t_node="$(openssl rand -hex 24)"
  t_cm="$(openssl rand -hex 24)" t_sched="$(openssl rand -hex 24)"
  umask 077
  {
    echo "$t_admin,hotreload-admin,hotreload-admin,system:masters"
    echo "$t_node,system:node:localhost,system:node:localhost,system:nodes"
    echo "$t_cm,system:kube-controller-manager,system:kube-controller-manager"
    echo "$t_sched,system:kube-scheduler,system:kube-scheduler"
  } >"$DIR/pki/tokens.csv"
  umask 022
  write_kubeconfig "$DIR/kubeconfig" hotreload-admin "$t_admin"
  write_kubeconfig "$DIR/pki/kubelet.kubeconfig" kubelet "$t_node"
  write_kubeconfig "$DIR/pki/controller-manager.kubeconfig" controller-manager "$t_cm"
  write_kubeconfig "$DIR/pki/scheduler.kubeconfig" scheduler "$t_sched"
}

write_kubeconfig() { # FILE USER TOKEN
  local k=("$BIN/kubectl" --kubeconfig "$1" config)
  "${k[@]}" set-cluster hotreload --server "https://127.0.0.1:$API_PORT" \
    --certificate-authority "$DIR/pki/ca.crt" --embed-certs >/dev/null
  "${k[@]}" set-credentials "$2" --token "$3" >/dev/null
  "${k[@]}" set-context hotreload --cluster hotreload --user "$2" >/dev/null
  "${k[@]}" use-context hotreload >/dev/null
  chmod 600 "$1"
}

write_containerd_config() {
  local c="$DIR/containerd"
  mkdir -p "$c" "$DIR/cni"
  cat >"$c/config.toml" <<EOF
version = 2
root = "$c/root"
state = "$c/state"
oom_score = 0
disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs",
  "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.aufs",
  "io.containerd.internal.v1.tracing", "io.containerd.tracing.processor.v1.otlp"]
[grpc]
  address = "$c/containerd.sock"
[ttrpc]
  address = "$c/containerd.sock.ttrpc"
[plugins."io.containerd.internal.v1.opt"]
  path = "$c/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  enable_selinux = false
  # This machine lacks CAP_SYS_RESOURCE: a negative oom_score_adj (the
  # sandbox's -998, a Guaranteed pod's -997) would fail the container's start
  # ("can't get final child's PID from pipe: EOF"); containerd raises it to
  # its own instead.
  restrict_oom_score_adj = true
  # Pods that are not hostNetwork: their network namespaces here, not /run/netns.
  netns_mounts_under_state_dir = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "native"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        BinaryName = "$BIN/runc"
        Root = "$c/runc-root"
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$BIN/cni"
    conf_dir = "$DIR/cni"
EOF
  cat >"$DIR/cni/10-loopback.conflist" <<EOF
{"cniVersion": "0.4.0", "name": "loopback-only", "plugins": [{"type": "loopback"}]}
EOF
}

write_kubelet_config() {
  mkdir -p "$DIR/kubelet"
  cat >"$DIR/kubelet/config.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: 127.0.0.1
port: $KUBELET_PORT
readOnlyPort: 0
healthzPort: 0
tlsCertFile: $DIR/pki/kubelet.crt
tlsPrivateKeyFile: $DIR/pki/kubelet.key
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: false}
  x509: {clientCAFile: $DIR/pki/ca.crt}
authorization: {mode: AlwaysAllow}
containerRuntimeEndpoint: unix://$DIR/containerd/containerd.sock
# cgroup v1 here: allowed, without per-QoS cgroups (so every container's
# cgroup is containerd's default for its CRI namespace: /k8s.io/ID).
failCgroupV1: false
cgroupDriver: cgroupfs
cgroupsPerQOS: false
enforceNodeAllocatable: []
failSwapOn: false
oomScoreAdj: 0
staticPodPath: ""
volumePluginDir: $DIR/kubelet/volume-plugins
podLogsDir: $DIR/kubelet/pod-logs
# A shared disk that fills up must not evict the tests' pods or their images.
evictionHard: {memory.available: "100Mi", nodefs.available: "1%", imagefs.available: "1%", nodefs.inodesFree: "1%"}
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
shutdownGracePeriod: 0s
EOF
}
