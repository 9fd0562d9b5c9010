#!/usr/bin/env bash
# The whole test suite: lint, then pytest on SQLite, then pytest on a real PostgreSQL 15 that this
# script starts in a temporary directory on a free local port and stops afterwards.
# System packages the tests need (Debian's postgresql and chromium) are installed here if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export PYTHONDONTWRITEBYTECODE=1

scripts/system-packages.sh

echo "== lint (ruff check + format check)"
$BIN/ruff check src tests bench
$BIN/ruff format --check src tests bench

WORKERS=${BLUELAMP_TEST_WORKERS:-2}

echo "== tests on SQLite"
env -u DATABASE_URL $BIN/pytest -n "$WORKERS" -q "$@"

echo "== tests on PostgreSQL 15"
source scripts/postgres.sh
pg_start
trap pg_stop EXIT
DATABASE_URL="$PG_URL" $BIN/pytest -n "$WORKERS" -q "$@"
