"""berthd side by side with CNCF Distribution (Debian's docker-registry) and nginx on this
machine: every workload against each, in turns, several runs, then a table of medians,
ratios and the targets of issue 4. Run it through scripts/benchmark.sh, which installs the
tools and builds berthd; see the README's "Benchmark" section."""

import argparse
import dataclasses
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import report
from clients import ClientError
from servers import BERTHD, DISTRIBUTION, ServerError, ServerPool
from workloads import (FULL, MAIN_REGISTRY_WORKLOADS, QUICK, WORKLOADS, Bench, record_peak_memory,
                       start_main_registries, stop_main_registries)

TOOLS = ("curl", "wrk", "hey", "ab", "skopeo", "nginx", "docker-registry", "cp")


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--berthd", required=True, help="the berthd executable to measure")
    parser.add_argument("--console-benchmark", help="tests/bench/ConsoleModelBenchmark, for the console workload")
    parser.add_argument("--quick", action="store_true",
                        help="tiny sizes and one run: checks that every workload works, in about a minute")
    parser.add_argument("--runs", type=int, help="runs of each workload against each server (default: 3, quick: 1)")
    parser.add_argument("--only", help="comma-separated workloads to run: " + ", ".join(WORKLOADS))
    parser.add_argument("--workdir", help="where to make the temporary directory (default: $TMPDIR or /tmp)")
    parser.add_argument("--roots-dir", help="where to generate the large storage roots (default: /dev/shm, a "
                                            "tmpfs, where it exists)")
    arguments = parser.parse_args()
    if arguments.runs is not None and arguments.runs < 1:
        parser.error("--runs must be at least 1")
    if arguments.console_benchmark and not os.access(arguments.console_benchmark, os.X_OK):
        parser.error(f"{arguments.console_benchmark} is not an executable ConsoleModelBenchmark")
    unknown = set((arguments.only or "").split(",")) - set(WORKLOADS) - {""}
    if unknown:
        parser.error(f"unknown workloads: {', '.join(sorted(unknown))}")
    return arguments


def check_tools(berthd):
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        sys.exit(f"benchmark: missing {', '.join(missing)}: run scripts/install-deps.sh --bench")
    if not os.access(berthd, os.X_OK):
        sys.exit(f"benchmark: {berthd} is not an executable berthd")


def roots_parent(requested):
    """Where the large storage roots go: copying and deleting a few hundred thousand small
    files takes minutes on a busy disk and seconds on a tmpfs, and the servers read them
    from the page cache either way."""
    if requested:
        return requested
    return "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None


def load_average():
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


def summary(profile, quick, seconds):
    version = subprocess.run(["docker-registry", "--version"], capture_output=True, text=True).stdout.split()[-1]
    conditions = "quick sizes: the figures mean nothing" if quick else f"load average {load_average()} at the end"
    return (f"berthd against Distribution {version} and nginx: medians of {profile.runs} run(s), {conditions}, "
            f"{seconds:.0f} s in all.")


def _stop_on_signal(number, _frame):
    raise SystemExit(128 + number)  # unwinds through the finally blocks that clean up


def main():
    arguments = parse_arguments()
    check_tools(arguments.berthd)
    profile = QUICK if arguments.quick else FULL
    if arguments.runs:
        profile = dataclasses.replace(profile, runs=arguments.runs)
    selected = [name for name in WORKLOADS if not arguments.only or name in arguments.only.split(",")]
    signal.signal(signal.SIGTERM, _stop_on_signal)
    signal.signal(signal.SIGINT, _stop_on_signal)

    began = time.perf_counter()

    def log(message):
        print(f"[{time.perf_counter() - began:7.1f} s] {message}", file=sys.stderr, flush=True)

    workdir = Path(tempfile.mkdtemp(prefix="berth-benchmark-", dir=arguments.workdir))
    roots_dir = Path(tempfile.mkdtemp(prefix="berth-benchmark-roots-", dir=roots_parent(arguments.roots_dir)))
    programs = {BERTHD: str(Path(arguments.berthd).resolve()), DISTRIBUTION: shutil.which("docker-registry")}
    pool = ServerPool(workdir / "servers", programs)
    bench = Bench(profile, programs, pool, workdir, roots_dir, log, console_benchmark=arguments.console_benchmark)
    try:
        log(f"{'quick' if arguments.quick else 'full'} benchmark, {profile.runs} run(s) of: {', '.join(selected)}; "
            f"load average {load_average()}; work directory {workdir}")
        start_main_registries(bench)
        for name in selected:
            if name not in MAIN_REGISTRY_WORKLOADS and bench.main:
                stop_main_registries(bench)  # they would only add noise to what follows
            log(f"workload {name}")
            WORKLOADS[name](bench)
        pool.stop_all()
        record_peak_memory(bench)
    except (ClientError, ServerError) as error:
        log(f"FAILED: {error}")
        for server in pool.running():
            log(f"the end of {server.kind}'s output:\n{server.log_tail(3000)}")
        sys.exit(1)
    finally:
        pool.stop_all()
        shutil.rmtree(workdir, ignore_errors=True)
        shutil.rmtree(roots_dir, ignore_errors=True)

    print("\n" + summary(profile, arguments.quick, time.perf_counter() - began) + "\n")
    print("\n".join(report.table(profile, bench.results)))


if __name__ == "__main__":
    main()
