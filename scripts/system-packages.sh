#!/usr/bin/env bash
# Installs the Debian packages the test suite uses, only when they are missing:
# postgresql (15 on Debian 12) for the second test run, chromium for the browser tests.
# `scripts/system-packages.sh bench` also installs wrk, the HTTP load generator of bench/.
set -euo pipefail
need=()
[ "${1:-}" = bench ] && ! command -v wrk >/dev/null && need+=(wrk)
[ -x /usr/bin/chromium ] || need+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
[ ${#need[@]} -eq 0 ] && exit 0
echo "== installing Debian packages: ${need[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get install -y -q "${need[@]}" || { $SUDO apt-get update -q && $SUDO apt-get install -y -q "${need[@]}"; }
