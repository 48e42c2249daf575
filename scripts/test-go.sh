#!/usr/bin/env bash
# The go/hotreload package's own tests: vet and race tests with the current Go,
# cross-platform vet, and a build + test with Go 1.19, the oldest release our
# users may have.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root/go/hotreload"
echo "[go] $(go version)"
go vet ./...
GOOS=windows go vet ./...
GOOS=darwin go vet ./...
if [ "$(go env CGO_ENABLED)" = 1 ]; then go test -race -count=1 ./...; else go test -count=1 ./...; fi
GO119="${HOTRELOAD_GO119:-/usr/lib/go-1.19/bin/go}"
if [ -x "$GO119" ]; then
  echo "[go] $("$GO119" version)"
  GOTOOLCHAIN=local "$GO119" vet ./...
  GOTOOLCHAIN=local "$GO119" test -count=1 ./...
elif [ -n "${CI:-}" ]; then
  echo "[go] Go 1.19 is required in CI (install Debian's golang-1.19-go)" >&2
  exit 1
else
  echo "[go] Go 1.19 not installed: compatibility check skipped (apt-get install golang-1.19-go)"
fi

# The supervisor: its own tests, and a build for every platform the extension ships.
cd "$root/supervisor"
echo "[go] supervisor"
go vet ./...
GOOS=windows go vet ./...
GOOS=darwin go vet ./...
if [ "$(go env CGO_ENABLED)" = 1 ]; then go test -race -count=1 ./...; else go test -count=1 ./...; fi
