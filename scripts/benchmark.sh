#!/usr/bin/env bash
# Benchmarks berthd against CNCF Distribution (Debian's docker-registry) and nginx on this
# machine and prints a table of medians, ratios and targets (README, "Benchmark").
#   scripts/benchmark.sh [--quick] [--runs N] [--only push,pull,...] [--berthd PATH [--console-benchmark PATH]]
# Without --berthd it installs what it needs and builds a Release berthd and the console's
# benchmark program (tests/bench/ConsoleModelBenchmark) in build-benchmark/.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

berthd=""
console=""
arguments=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --berthd) berthd="$2"; shift 2 ;;
    --berthd=*) berthd="${1#--berthd=}"; shift ;;
    --console-benchmark) console="$2"; shift 2 ;;
    --console-benchmark=*) console="${1#--console-benchmark=}"; shift ;;
    *) arguments+=("$1"); shift ;;
  esac
done

"$root/scripts/install-deps.sh" --bench
if [[ -z "$berthd" ]]; then
  cmake -S "$root" -B "$root/build-benchmark" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DBERTH_BUILD_GUI=ON -DBERTH_BUILD_TESTS=ON >/dev/null
  cmake --build "$root/build-benchmark" --target berthd ConsoleModelBenchmark
  berthd="$root/build-benchmark/bin/berthd"
  console="$root/build-benchmark/tests/bench/ConsoleModelBenchmark"
fi
if [[ -n "$console" ]]; then
  arguments+=(--console-benchmark "$console")
fi
# Debian's python3, whatever else is first on PATH: the script uses its standard library only.
exec /usr/bin/python3 -B "$root/scripts/benchmark/benchmark.py" --berthd "$berthd" "${arguments[@]}"
