"""The figures the benchmark measures, their targets, and the table of medians."""

import statistics
from collections import defaultdict
from dataclasses import dataclass

from servers import BERTHD, DISTRIBUTION, NGINX

NAMES = {BERTHD: "berthd", DISTRIBUTION: "Distribution", NGINX: "nginx"}


@dataclass(frozen=True)
class Versus:
    """berthd's median against another server's: at least or at most `factor` times it."""
    server: str
    at_least: bool
    factor: float

    def describe(self):
        return f"{'≥' if self.at_least else '≤'} {self.factor:g} × {NAMES[self.server]}"

    def met(self, medians, results):
        if medians.get(BERTHD) is None or not medians.get(self.server):
            return None
        ratio = medians[BERTHD] / medians[self.server]
        return ratio >= self.factor if self.at_least else ratio <= self.factor


@dataclass(frozen=True)
class AtMost:
    """berthd's own median, whatever the others do."""
    limit: float
    unit: str

    def describe(self):
        return f"≤ {self.limit:g} {self.unit}"

    def met(self, medians, results):
        return None if medians.get(BERTHD) is None else medians[BERTHD] <= self.limit


@dataclass(frozen=True)
class Condition:
    """A yes/no fact a workload recorded, such as "served requests while collecting"."""
    flag: str
    text: str

    def describe(self):
        return self.text

    def met(self, medians, results):
        return results.flags.get(self.flag)


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    unit: str
    targets: tuple = ()


def _manifest_figures(connections):
    figures = []
    for count in connections:
        for method in ("GET", "HEAD"):
            for close in (False, True):
                key = manifest_key(method, count, close)
                label = f"manifest {method}, {count} conn" + (", Connection: close" if close else "")
                figures += [Figure(key + "_rps", label, "req/s", (Versus(DISTRIBUTION, True, 10),)),
                            Figure(key + "_p50", "  p50 latency", "ms"),
                            Figure(key + "_p99", "  p99 latency", "ms", (Versus(DISTRIBUTION, False, 0.1),))]
    return figures


def manifest_key(method, connections, close):
    return f"manifest_{method.lower()}_{connections}" + ("_close" if close else "")


def _console_figures(profile):
    """The console's browser (ConsoleModelBenchmark): its figures are the console's own,
    shown in the berthd column because berthd is the registry it browses."""
    first = (AtMost(300, "ms"),)
    stall = (AtMost(50, "ms"),)

    def stalls(phase):
        return [Figure(f"console_{phase}_stall_ms", "  longest UI-thread stall", "ms", stall),
                Figure(f"console_{phase}_stall_cpu_ms", "    most UI-thread CPU between two beats", "ms", stall)]

    return [
        Figure("console_repositories_first_screen_ms",
               f"console: first screen of {profile.console_repositories:,} repos", "ms", first),
        Figure("console_repositories_end_s", "  scrolled to the end", "s"),
        *stalls("repositories"),
        Figure("console_tags_first_screen_ms", f"console: first screen of {profile.console_tags:,} tags", "ms",
               first),
        Figure("console_tags_first_details_ms", "  with every row's details", "ms"),
        Figure("console_tags_end_s", "  scrolled to the end, details on screen", "s"),
        *stalls("tags"),
        Figure("console_tags_sorted_by_size_s", "  sorted by size (every manifest read)", "s"),
        *stalls("tags_sorted"),
        Figure("console_peak_rss_mib", "console: peak resident memory", "MiB", (AtMost(200, "MiB"),)),
    ]


def figures(profile):
    """Every row of the table, in order, with the issue's targets."""
    blob = profile.blob_label
    return [
        Figure("push_monolithic_mbps", f"push {blob}, monolithic", "MB/s", (Versus(DISTRIBUTION, True, 1.5),)),
        Figure("push_monolithic_cpu", "  server CPU", "s/GiB", (Versus(DISTRIBUTION, False, 0.4),)),
        Figure("push_chunked_mbps", f"push {blob}, {profile.chunk_label} chunks", "MB/s",
               (Versus(DISTRIBUTION, True, 1.5),)),
        Figure("push_chunked_cpu", "  server CPU", "s/GiB", (Versus(DISTRIBUTION, False, 0.4),)),
        Figure("pull_mbps", f"pull {blob}", "MB/s", (Versus(NGINX, True, 0.97),)),
        Figure("pull_cpu", "  server CPU", "s/GiB", (Versus(DISTRIBUTION, False, 0.5),)),
        *_manifest_figures(profile.connections),
        Figure("catalog_first_page", f"catalog of {profile.repositories:,} repos, first page (n=100)", "ms"),
        Figure("catalog_walk", "  full walk, n=100", "s", (Versus(DISTRIBUTION, False, 0.05),)),
        Figure("tags_list", f"tags list of {profile.tags:,} tags", "ms", (Versus(DISTRIBUTION, False, 0.05),)),
        Figure("concurrent_pushes", f"{profile.concurrent_pushes} concurrent skopeo pushes", "s",
               (Versus(DISTRIBUTION, False, 0.8),)),
        Figure("start_up", f"start-up on {profile.repositories:,} repos, until /v2/ answers", "s",
               (AtMost(1, "s"),)),
        Figure("start_up_catalog", "  until the first catalog page", "s", (AtMost(1, "s"),)),
        Figure("gc_offline", f"garbage collection of {profile.repositories:,} repos", "s",
               (Versus(DISTRIBUTION, False, 0.1),)),
        Figure("gc_online", "  online (admin API), while serving", "s",
               (Condition("gc_online_served", "online"),)),
        *_console_figures(profile),
        Figure("rss_idle", "resident memory, idle", "MiB", (AtMost(10, "MiB"),)),
        Figure("rss_peak", "resident memory, peak of the run", "MiB", (Versus(DISTRIBUTION, False, 0.5),)),
    ]


class Results:
    """Every sample of every figure, by server; yes/no facts by name."""

    def __init__(self):
        self._samples = defaultdict(list)
        self.flags = {}

    def add(self, key, server, value):
        self._samples[(key, server)].append(value)

    def medians(self, key):
        return {server: statistics.median(self._samples[(key, server)])
                for server in NAMES if self._samples.get((key, server))}


def _number(value):
    if value is None:
        return "—"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.3g}" if value >= 0.001 else f"{value:.2g}"


def _ratio(numerator, denominator):
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def table(profile, results):
    """The table of medians, ratios and targets, as lines of text."""
    header = ("figure", "unit", "berthd", "Distribution", "b/D", "nginx", "b/nginx", "target", "met")
    rows = []
    for figure in figures(profile):
        medians = results.medians(figure.key)
        if not medians and not any(target.met(medians, results) is not None for target in figure.targets):
            continue
        verdicts = [target.met(medians, results) for target in figure.targets]
        met = "—" if not verdicts or None in verdicts else ("yes" if all(verdicts) else "NO")
        rows.append((figure.label, figure.unit, _number(medians.get(BERTHD)),
                     _number(medians.get(DISTRIBUTION)),
                     _number(_ratio(medians.get(BERTHD), medians.get(DISTRIBUTION))),
                     _number(medians.get(NGINX)), _number(_ratio(medians.get(BERTHD), medians.get(NGINX))),
                     ", ".join(target.describe() for target in figure.targets) or "—", met))
    widths = [max(len(row[column]) for row in [header, *rows]) for column in range(len(header))]
    left_aligned = {0, 1, 7}

    def line(cells):
        return "| " + " | ".join(cell.ljust(width) if column in left_aligned else cell.rjust(width)
                                 for column, (cell, width) in enumerate(zip(cells, widths))) + " |"

    # A Markdown table: aligned for the terminal, ready to paste into the README.
    rule = "|" + "|".join("-" * (width + 1) + (":" if column not in left_aligned else "-")
                          for column, width in enumerate(widths)) + "|"
    return [line(header), rule, *(line(row) for row in rows)]
