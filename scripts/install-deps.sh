#!/usr/bin/env bash
# Installs what Berth needs from Debian 12's repositories: the build tools and libraries,
# with --tests also the real clients and peers the tests run against, and with --bench
# what scripts/benchmark.sh runs (both may be given).
# Does nothing (and needs no network) when everything is already installed.
set -euo pipefail

packages=(
  cmake ninja-build g++ pkg-config
  qt6-base-dev libqt6opengl6-dev qt6-charts-dev qt6-svg-dev qt6-tools-dev qt6-l10n-tools qtkeychain-qt6-dev
  libarchive-dev libssl-dev libboost1.81-dev libboost-json1.81-dev libyaml-cpp-dev libcrypt-dev
  qt6-translations-l10n # Qt's own strings (standard buttons, file dialogs) in the console's languages
)
if [[ " $* " == *" --tests "* ]]; then
  # skopeo, podman: real clients; docker-registry: the reference CNCF Distribution, as a peer.
  packages+=(skopeo podman docker-registry xvfb xauth dbus-x11 gnome-keyring libsecret-tools curl
    apache2-utils openssl # the console's auth and TLS tests: htpasswd files, keys and certificates
    fonts-wqy-microhei) # Chinese glyphs for scripts/screenshots.sh's zh_CN screens
fi
if [[ " $* " == *" --bench "* ]]; then
  # scripts/benchmark.sh: wrk, hey and ab for load, nginx as the physical limit, Debian's python3 to run it;
  # linux-perf and strace to see where a figure's time goes (README, "Benchmark").
  packages+=(wrk hey apache2-utils nginx-light skopeo docker-registry curl python3 linux-perf strace)
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

sudo=""
[[ "$(id -u)" -eq 0 ]] || sudo="sudo"
echo "Installing: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
