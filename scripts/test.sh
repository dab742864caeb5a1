#!/usr/bin/env bash
# Sets up a fresh Debian 12, builds Berth and runs every test (unit, integration against
# a real berthd, real clients, the benchmark's quick mode) with CTest.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh" --tests --bench
"$root/scripts/build.sh" -DBERTH_BUILD_TESTS=ON
cd "$root/build"
ctest --output-on-failure --parallel 2 "$@"
