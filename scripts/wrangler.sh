#!/usr/bin/env bash
# Runs the pinned wrangler (Cloudflare's CLI, with workerd) under the pinned Node.js 22, both
# from the npm registry: `bash scripts/wrangler.sh dev`, `... deploy`, `... secret put NAME`.
#
# wrangler 4 needs Node.js >= 22.12, so Node comes as the npm package `node` rather than from
# the machine. Both install once into a cache outside the repo (MWAI_TOOLS_DIR, default
# ~/.cache/mwai-edge), so a fresh clone reuses them. wrangler's bundler resolves `hono` and
# the other bare imports from ./node_modules, which Deno fills from deno.lock
# (deno.json has "nodeModulesDir": "auto"); this script runs `deno install` when it is missing.
set -euo pipefail

WRANGLER_VERSION="4.164.0"
NODE_VERSION="22.23.3"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="${MWAI_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/mwai-edge}"
dir="$tools/wrangler-$WRANGLER_VERSION-node-$NODE_VERSION"

install_tools() {
  mkdir -p "$tools"
  # One installer at a time: the route tests may start several wranglers at once.
  exec 9>"$tools/.install.lock"
  flock 9
  if [[ ! -x "$dir/node_modules/.bin/node" ]]; then
    echo "mwai-edge: installing wrangler@$WRANGLER_VERSION and node@$NODE_VERSION into $dir" >&2
    local tmp
    tmp="$(mktemp -d "$tools/.install.XXXXXX")"
    printf '{"private":true,"dependencies":{"wrangler":"%s","node":"%s"}}\n' \
      "$WRANGLER_VERSION" "$NODE_VERSION" >"$tmp/package.json"
    (cd "$tmp" && npm install --no-audit --no-fund --loglevel=error >&2)
    rm -rf "$dir"
    mv "$tmp" "$dir"
  fi
  flock -u 9
}

[[ -x "$dir/node_modules/.bin/node" ]] || install_tools

if [[ ! -e "$root/node_modules/hono/package.json" ]]; then
  (cd "$root" && ${DENO:-npx -y deno@2.9.6} install >&2)
fi

# Quiet and able to work offline: no usage metrics, and `dev` fakes request.cf instead of
# fetching it. (Tests and `deno task build:workers` also set CI=1: no prompts.)
export WRANGLER_SEND_METRICS="${WRANGLER_SEND_METRICS:-false}"
export CLOUDFLARE_CF_FETCH_ENABLED="${CLOUDFLARE_CF_FETCH_ENABLED:-false}"
cd "$root"
exec "$dir/node_modules/.bin/node" "$dir/node_modules/wrangler/bin/wrangler.js" "$@"
