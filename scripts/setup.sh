#!/usr/bin/env bash
# Installs what the tests and benchmarks need and is missing: Debian's chromium (browser
# tests), wrk (load benchmarks), PostgreSQL binaries (store tests), the agent's npm modules.
# Idempotent and quick when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v wrk >/dev/null 2>&1 || need_apt+=(wrk)
command -v python3 >/dev/null 2>&1 || need_apt+=(python3)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "== installing ${need_apt[*]} (apt)"
  sudo=()
  [ "$(id -u)" = 0 ] || sudo=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

if ! command -v schemathesis >/dev/null 2>&1; then
  echo "== pip install schemathesis (API property tests)"
  python3 -m pip install --quiet --disable-pip-version-check 'schemathesis>=4,<5'
fi

if [ -f agent/package.json ] && [ ! -d agent/node_modules ]; then
  echo "== npm ci (agent)"
  (cd agent && npm ci --no-audit --no-fund --loglevel=error)
fi

# The enrichment datasets (IP, ranges, BINs) from npm and PyPI into ./data, so that the
# with-data tests run; skipped quickly when the pinned versions are already installed.
echo "== enrichment data (scripts/data-fetch.sh)"
scripts/data-fetch.sh
