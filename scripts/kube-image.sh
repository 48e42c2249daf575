#!/usr/bin/env bash
# Packs a folder as a one-layer `FROM scratch` image in the docker-archive
# format (what `docker save` writes and `ctr images import` reads), so the
# cluster gets its images with no registry and no Docker.
#
# Usage: bash scripts/kube-image.sh OUT.tar NAME:TAG ROOTFS_DIR ENTRYPOINT [ARG...]
#   OUT.tar      the archive to write
#   NAME:TAG     the image's reference (pods name it with imagePullPolicy: Never)
#   ROOTFS_DIR   the image's whole file system, packed as its one layer
#   ENTRYPOINT   the image's entrypoint, as a list of words
# The layer is reproducible: names sorted, owner root, times zero.
set -euo pipefail
[ $# -ge 4 ] || { echo "usage: $0 OUT.tar NAME:TAG ROOTFS_DIR ENTRYPOINT [ARG...]" >&2; exit 2; }
out="$1" ref="$2" rootfs="$3"
shift 3
[ -d "$rootfs" ] || { echo "[kube-image] no folder $rootfs" >&2; exit 1; }

json_string() { local s="${1//\\/\\\\}"; s="${s//\"/\\\"}"; printf '"%s"' "$s"; }
entrypoint=""
for word in "$@"; do entrypoint+="${entrypoint:+,}$(json_string "$word")"; done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$rootfs" -cf "$work/layer.tar" .
layer="$(sha256sum "$work/layer.tar" | cut -d' ' -f1)"
mkdir "$work/archive" "$work/archive/$layer"
mv "$work/layer.tar" "$work/archive/$layer/layer.tar"
printf '{"architecture":"amd64","os":"linux","config":{"Entrypoint":[%s]},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
  "$entrypoint" "$layer" >"$work/config.json"
config="$(sha256sum "$work/config.json" | cut -d' ' -f1)"
mv "$work/config.json" "$work/archive/$config.json"
printf '[{"Config":"%s.json","RepoTags":[%s],"Layers":["%s/layer.tar"]}]' \
  "$config" "$(json_string "$ref")" "$layer" >"$work/archive/manifest.json"
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$work/archive" -cf "$out" .
