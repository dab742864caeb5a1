#!/usr/bin/env bash
# Sets up a fresh Debian 12, builds Berth and runs it: the console `berth`, which starts its
# bundled registry server (127.0.0.1:5000, storage under ~/.local/share/berth/registry).
# On a machine without a display ($DISPLAY and $WAYLAND_DISPLAY unset) it builds and runs the
# server `berthd` alone with its embedded default configuration; any arguments then go to
# `berthd serve`, e.g. a config.yml.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh"
if [[ -n "${DISPLAY:-}" || -n "${WAYLAND_DISPLAY:-}" ]]; then
  "$root/scripts/build.sh" -DBERTH_BUILD_TESTS=OFF -DBERTH_BUILD_GUI=ON
  exec "$root/build/bin/berth" "$@"
fi
echo "No display: running the registry server alone (the console needs \$DISPLAY or \$WAYLAND_DISPLAY)." >&2
"$root/scripts/build.sh" -DBERTH_BUILD_TESTS=OFF -DBERTH_BUILD_GUI=OFF
exec "$root/build/bin/berthd" serve "$@"
