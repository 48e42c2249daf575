# Stops the cluster that runs from DIR and checks that nothing of it is left.
# Order: the controllers first (nothing recreates a pod), then the pods through
# the API (the kubelet tears down their containers and volumes), the kubelet,
# whatever containers are left through containerd, containerd, the API server,
# etcd; then any process still inside DIR, the mounts under DIR, the cgroups,
# what was written outside DIR, and the kernel settings the kubelet changed. Sourced by kube-cluster.sh.

stop_cluster() {
  [ -f "$DIR/run/bin" ] || { log "no cluster in $DIR"; return 0; }
  BIN="$(cat "$DIR/run/bin")"
  local kubectl=("$BIN/kubectl" --kubeconfig "$DIR/kubeconfig" --request-timeout 10s)
  local ctr=("$BIN/ctr" --address "$DIR/containerd/containerd.sock" -n k8s.io)
  stop_component kube-controller-manager 20
  stop_component kube-scheduler 20
  if component_pid kube-apiserver >/dev/null && component_pid kubelet >/dev/null; then
    "${kubectl[@]}" delete pods --all --all-namespaces --grace-period 5 --wait --timeout 90s >/dev/null 2>&1 ||
      log "the pods were not all deleted through the API; containerd removes the rest"
    # A deleted pod's processes end with it; its stopped sandbox is left to
    # the kubelet's garbage collection, which containerd's cleanup below
    # makes unnecessary.
    local deadline=$((SECONDS + 60))
    while [ -n "$("${ctr[@]}" tasks list -q 2>/dev/null)" ] && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
    log "pods deleted"
  fi
  stop_component kubelet 30
  if component_pid containerd >/dev/null; then
    local id
    for id in $("${ctr[@]}" tasks list -q 2>/dev/null); do
      "${ctr[@]}" tasks kill -s SIGKILL "$id" >/dev/null 2>&1 || true
    done
    for id in $("${ctr[@]}" containers list -q 2>/dev/null); do
      "${ctr[@]}" tasks delete --force "$id" >/dev/null 2>&1 || true
      "${ctr[@]}" containers delete "$id" >/dev/null 2>&1 || true
    done
  fi
  stop_component containerd 30
  stop_component kube-apiserver 30
  stop_component etcd 30
  log "components stopped"
  local left
  left="$(our_processes)"
  if [ -n "$left" ]; then
    log "killing what is left inside $DIR: $(echo $left)"
    kill -KILL $left 2>/dev/null || true
    local deadline=$((SECONDS + 10))
    while [ -n "$(our_processes)" ] && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
  fi
  unmount_all
  remove_cgroups
  remove_outside
  restore_sysctls
  rm -f "$DIR/run/bin"
  [ "$(cat "$OWNER_FILE" 2>/dev/null)" = "$DIR" ] && rm -f "$OWNER_FILE"
  check_nothing_left
}

# Mount points under DIR (and the network namespaces of pods that were not
# hostNetwork), deepest first.
our_mounts() {
  awk '{print $5}' /proc/self/mountinfo | sed 's/\\040/ /g' |
    grep -E "^($(printf '%s' "$DIR" | sed 's/[.[\*^$()+?{|]/\\&/g')/|/run/netns/cni-|/var/run/netns/cni-)" |
    awk '{print length, $0}' | sort -rn | cut -d' ' -f2- || true
}

unmount_all() {
  local m
  while IFS= read -r m; do
    [ -n "$m" ] || continue
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || log "could not unmount $m"
  done < <(our_mounts)
}

# The containers' cgroups: containerd's default for its CRI namespace, k8s.io
# (no other user of it runs: one cluster per machine), deepest first.
our_cgroups() {
  local c
  for c in /sys/fs/cgroup/*/k8s.io; do
    [ -d "$c" ] && find "$c" -depth -type d
  done
  return 0
}

remove_cgroups() {
  local g
  while IFS= read -r g; do
    [ -n "$g" ] && { rmdir "$g" 2>/dev/null || log "could not remove the cgroup $g"; }
  done < <(our_cgroups)
}

# What the kubelet, containerd and mount(8) made outside DIR: removed when it
# did not exist before start (another user of /run/containerd, such as a
# Docker Engine's containerd, keeps its own).
remove_outside() {
  local p
  while IFS= read -r p; do
    [ -n "$p" ] && [ -e "$p" ] && rm -rf "$p"
  done <"$DIR/run/outside-new"
  # The kubelet's device-plugin socket lives under /var/lib/kubelet whatever
  # its root dir; where that folder was there before, only its own files go.
  rm -f /var/lib/kubelet/device-plugins/kubelet.sock /var/lib/kubelet/device-plugins/DEPRECATION 2>/dev/null || true
}

restore_sysctls() {
  local k v
  [ -f "$DIR/run/sysctl-before" ] || return 0
  while read -r k v; do
    [ "$(cat "/proc/sys/$k")" = "$v" ] || echo "$v" >"/proc/sys/$k" || log "could not restore $k to $v"
  done <"$DIR/run/sysctl-before"
}

check_nothing_left() {
  local problems=() left p
  left="$(our_processes)"
  [ -z "$left" ] || problems+=("processes: $(echo $left)")
  left="$(our_mounts)"
  [ -z "$left" ] || problems+=("mounts: $(echo $left)")
  left="$(our_cgroups)"
  [ -z "$left" ] || problems+=("cgroups: $(echo $left)")
  while IFS= read -r p; do
    [ -n "$p" ] && [ -e "$p" ] && problems+=("outside DIR: $p")
  done <"$DIR/run/outside-new"
  local k v
  while read -r k v; do
    [ "$(cat "/proc/sys/$k")" = "$v" ] || problems+=("kernel setting $k: $(cat "/proc/sys/$k"), was $v")
  done < <(cat "$DIR/run/sysctl-before" 2>/dev/null)
  if [ ${#problems[@]} -gt 0 ]; then
    log "stopped, but left behind: ${problems[*]}"
    return 1
  fi
  log "stopped: no process, mount or cgroup of the cluster is left, nor anything it wrote outside $DIR; kernel settings restored"
}
