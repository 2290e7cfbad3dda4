#!/usr/bin/env bash
# Runs every check and test of the repository: formatting, lints, the Rust unit and
# integration tests (the store conformance suite on SQLite and on a real PostgreSQL started
# here), and the browser agent's tests in headless Chromium when its toolchain is present.
# This is the command the README gives and the one CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
# setup.sh installed the enrichment data: the tests that need it must not skip.
export SIGHTLINE_REQUIRE_DATA=1

echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

echo "== starting a throw-away PostgreSQL"
eval "$(scripts/pg-start.sh)"
trap 'scripts/pg-stop.sh "$SIGHTLINE_TEST_PG_DIR"' EXIT
echo "   $SIGHTLINE_TEST_PG_URL"

echo "== cargo test (SQLite and PostgreSQL)"
cargo test --workspace --locked

echo "== API property tests (schemathesis: no request may get a 5xx)"
scripts/api-fuzz.sh

if [ -f agent/package.json ]; then
  echo "== agent: bundle is up to date, tests in headless Chromium"
  # The end-to-end browser tests drive the server binary that cargo test just built.
  export SIGHTLINE_BIN="${CARGO_TARGET_DIR:-$PWD/target}/debug/sightline"
  (cd agent && npm run --silent check-dist && npm test)
fi
