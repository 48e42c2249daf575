# The cluster's processes: each component runs detached from the caller's
# session (it outlives `start`), logs to DIR/logs/NAME.log and has its pid in
# DIR/run/NAME.pid. A pid is signalled only while its command line still
# names DIR, so a reused pid is never ours. Sourced by kube-cluster.sh.

start_component() { # NAME COMMAND...
  local name="$1"
  shift
  setsid "$@" </dev/null >"$DIR/logs/$name.log" 2>&1 &
  echo $! >"$DIR/run/$name.pid"
}

# Whether PID is alive and one of this cluster's: its command line names a
# path inside DIR (components, shims, kubectl clients) or its root is there
# (a container's process).
# This script itself is not, whatever its arguments.
ours() { # PID
  [ -d "/proc/$1" ] || return 1
  local cmdline
  cmdline="$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null)" || return 1
  case "$cmdline" in *kube-cluster.sh*) return 1 ;; *"$DIR/"*) return 0 ;; esac
  case "$(readlink "/proc/$1/root" 2>/dev/null)/" in "$DIR"/*) return 0 ;; esac
  return 1
}

# Whether a component of the cluster in folder $1 is still alive.
cluster_alive() { # DIR
  local f pid
  for f in "$1"/run/*.pid; do
    pid="$(cat "$f" 2>/dev/null)" || continue
    [ -d "/proc/$pid" ] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$1/" && return 0
  done
  return 1
}

component_pid() { # NAME -> the pid, if the component is still ours and alive
  local pid
  pid="$(cat "$DIR/run/$1.pid" 2>/dev/null)" || return 1
  ours "$pid" && echo "$pid"
}

# Polls COMMAND until it succeeds; fails early if the component it waits on
# has exited, with the end of its log.
wait_for() { # TIMEOUT_S DESCRIPTION COMPONENT COMMAND...
  local timeout="$1" what="$2" component="$3" deadline=$((SECONDS + $1))
  shift 3
  until "$@" >/dev/null 2>&1; do
    if ! component_pid "$component" >/dev/null; then
      tail -30 "$DIR/logs/$component.log" >&2
      die "$component exited while waiting for $what (log: $DIR/logs/$component.log)"
    fi
    if [ $SECONDS -ge $deadline ]; then
      tail -30 "$DIR/logs/$component.log" >&2
      die "no $what after ${timeout}s (log: $DIR/logs/$component.log)"
    fi
    sleep 0.2
  done
}

# Stops a component: TERM, then KILL after TIMEOUT_S.
stop_component() { # NAME TIMEOUT_S
  local pid deadline=$((SECONDS + $2))
  pid="$(component_pid "$1")" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  while ours "$pid"; do
    if [ $SECONDS -ge $deadline ]; then
      log "$1 ($pid) still running after $2s: KILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    sleep 0.1
  done
}

# Every process of this cluster still alive, by the test of `ours`.
our_processes() {
  local p
  for p in /proc/[0-9]*; do
    p="${p#/proc/}"
    [ "$p" = $$ ] || [ "$p" = "$BASHPID" ] && continue
    ours "$p" && echo "$p"
  done
  return 0
}
