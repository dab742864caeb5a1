#!/usr/bin/env bash
# Configures and builds Berth into ./build (incrementally when it already exists).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cmake -S "$root" -B "$root/build" -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" "$@" >/dev/null
cmake --build "$root/build" -j"$(nproc)"
