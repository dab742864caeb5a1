#!/usr/bin/env bash
# Sets up a fresh Debian 12, builds Berth and runs it: berthd with its embedded default
# configuration (127.0.0.1:5000, storage under ~/.local/share/berth/registry).
# Any arguments go to `berthd serve`, e.g. a config.yml.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" -DBERTH_BUILD_TESTS=OFF
exec "$root/build/bin/berthd" serve "$@"
