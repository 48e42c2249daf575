#!/usr/bin/env bash
# gofmt and go vet over every Go module in the repository (the go/ packages and the examples).
set -euo pipefail
cd "$(dirname "$0")/.."
unformatted=$(gofmt -l go examples test/fixtures supervisor)
if [ -n "$unformatted" ]; then
  echo "[lint-go] not gofmt-ed (run gofmt -w on them):" >&2
  echo "$unformatted" >&2
  exit 1
fi
for mod in $(find go examples test/fixtures supervisor -name go.mod -not -path '*/node_modules/*' | sort); do
  dir=$(dirname "$mod")
  (cd "$dir" && go vet ./...)
done
echo "[lint-go] gofmt and go vet clean"
