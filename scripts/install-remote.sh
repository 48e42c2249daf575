#!/usr/bin/env bash
# What the remote-target tests need that a fresh Debian machine lacks: Debian's
# Docker Engine (docker.io) and OpenSSH server and client. Starting them is the
# caller's business (.ci/run starts dockerd; the tests start their own sshd).
set -euo pipefail
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo -n"
need=()
command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
[ -x /usr/sbin/sshd ] || need+=(openssh-server)
command -v ssh >/dev/null 2>&1 || need+=(openssh-client)
if [ ${#need[@]} -gt 0 ]; then
  echo "[install-remote] installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # No service starts from the package scripts: there may be no init here, and
  # the tests start what they need themselves.
  policy=/usr/sbin/policy-rc.d
  made_policy=0
  if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null; $SUDO chmod +x "$policy"; made_policy=1; fi
  $SUDO apt-get -o DPkg::Lock::Timeout=900 -o Acquire::Retries=3 update -qq </dev/null
  $SUDO apt-get -o DPkg::Lock::Timeout=900 -o Acquire::Retries=3 install -y -qq --no-install-recommends "${need[@]}" </dev/null
  if [ $made_policy = 1 ]; then $SUDO rm -f "$policy"; fi
fi
$SUDO mkdir -p /run/sshd
echo "[install-remote] $(dockerd --version); $(ssh -V 2>&1)"
