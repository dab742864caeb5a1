"""The workloads, one function each. Every one runs against berthd and Distribution in
turns (A B B A ...) so that drift of a shared, busy machine cancels out, and records its
samples in bench.results."""

import http.client
import json
import os
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from clients import ClientError, KeepAliveClient, RegistryClient, Skopeo, download, load_test, run_command
from content import GIB, MANIFEST_ACCEPT, FreshBytes, generate_console_root, generate_large_root, write_oci_layout
from report import Results, manifest_key
from servers import BERTHD, DISTRIBUTION, NGINX, REGISTRIES, ServerPool

GC_TIMEOUT_S = 1800
PUSHES_TIMEOUT_S = 900
CONSOLE_PHASE_TIMEOUT_S = 600
ADMIN_TOKEN = "benchmark-admin-token"


@dataclass(frozen=True)
class Profile:
    """The sizes of one benchmark run: the issue's, or tiny ones for --quick."""
    blob_size: int
    chunk_size: int
    repositories: int
    tags: int
    concurrent_pushes: int
    runs: int
    load_seconds: int
    small_layer_size: int = 256 * 1024
    connections: tuple = (32, 64)
    # The console's browser: repositories in the registry, tags in its largest repository,
    # and the page size of its listings (0: the console's own).
    console_repositories: int = 100_000
    console_tags: int = 10_000
    console_page_size: int = 0

    @property
    def blob_label(self):
        return _size_label(self.blob_size)

    @property
    def chunk_label(self):
        return _size_label(self.chunk_size)


def _size_label(size):
    return f"{size // GIB} GiB" if size % GIB == 0 else f"{size >> 20} MiB"


FULL = Profile(blob_size=GIB, chunk_size=64 << 20, repositories=10_000, tags=10_000, concurrent_pushes=50,
               runs=3, load_seconds=5)
QUICK = Profile(blob_size=16 << 20, chunk_size=4 << 20, repositories=200, tags=200, concurrent_pushes=5,
                runs=1, load_seconds=2, console_repositories=500, console_tags=300, console_page_size=100)


@dataclass
class Bench:
    """What every workload shares: sizes, servers, scratch space and the results."""
    profile: Profile
    programs: dict
    pool: ServerPool
    workdir: Path  # on the disk: what pushes write must reach it
    roots_dir: Path  # on a tmpfs if there is one: the generated storage roots and their copies
    log: callable
    results: Results = field(default_factory=Results)
    fresh: FreshBytes = field(default_factory=FreshBytes)
    main: dict = field(default_factory=dict)  # one registry of each kind for the whole run
    large_root: object = None
    console_benchmark: str = None  # tests/bench/ConsoleModelBenchmark, if it was built
    _scratch_count: int = 0

    def scratch(self, name, parent=None):
        """A new empty directory under the work directory (or `parent`)."""
        self._scratch_count += 1
        directory = (parent or self.workdir / "scratch") / f"{self._scratch_count:04d}-{name}"
        directory.mkdir(parents=True)
        return directory

    def copy_of_large_root(self, name):
        """A private copy of the generated storage root (generated on first use); the
        caller removes it with shutil.rmtree(copy.parent)."""
        if self.large_root is None:
            started = time.perf_counter()
            self.large_root = generate_large_root(self.scratch("large-root", self.roots_dir),
                                                  self.profile.repositories, self.profile.tags, self.fresh)
            self.log(f"generated {self.profile.repositories:,} repositories, {self.large_root.blobs:,} blobs "
                     f"in {time.perf_counter() - started:.1f} s")
        copy = self.scratch(name, self.roots_dir) / "storage"
        subprocess.run(["cp", "-r", str(self.large_root.path), str(copy)], check=True)
        return copy


def interleaved(servers, runs):
    """(run, server) in the order A B, B A, A B ...: each server goes first every other run."""
    for run in range(runs):
        for server in (servers if run % 2 == 0 else tuple(reversed(servers))):
            yield run, server


def start_main_registries(bench):
    """One berthd and one Distribution on fresh storage, kept for the pushes, pulls and
    manifest requests; their resident memory once started is the idle figure."""
    for kind in REGISTRIES:
        bench.main[kind] = bench.pool.registry(kind)
        bench.main[kind].start()
    time.sleep(1)  # let both settle before reading their idle memory
    for kind in REGISTRIES:
        bench.results.add("rss_idle", kind, bench.main[kind].memory_mib("VmRSS"))


def stop_main_registries(bench):
    for server in bench.main.values():
        bench.pool.stop(server)
    bench.main.clear()


def record_peak_memory(bench):
    """The highest resident memory of any server of each kind started in the run."""
    for kind in REGISTRIES:
        bench.results.add("rss_peak", kind, bench.pool.peak_rss_mib[kind])


def push_blob(bench):
    """A blob of fresh bytes pushed with curl, monolithic (POST, PUT with the body) and in
    chunks (POST, a PATCH per chunk, PUT): MB/s and server CPU seconds per GiB. Each server
    first pushes once in each mode untimed: a first push of a fresh storage root into a cold
    page cache cost both servers up to twice as much as the runs after it."""
    profile = bench.profile
    warm_up = [(-1, kind) for kind in REGISTRIES]
    for run, kind in warm_up + list(interleaved(REGISTRIES, profile.runs)):
        server = bench.main[kind]
        client = RegistryClient(server.base_url)
        for mode in ("monolithic", "chunked"):
            directory = bench.scratch(f"push-{mode}")
            if mode == "monolithic":
                blob = bench.fresh.write_blob(directory / "blob", profile.blob_size)
            else:
                blob = bench.fresh.write_chunked_blob(directory, profile.blob_size, profile.chunk_size)
            repository = f"bench/push-{mode}"
            os.sync()  # nothing of the blob just written may be flushed during the timed push
            cpu_before = server.cpu_seconds()
            started = time.perf_counter()
            client.push_blob(repository, blob)
            seconds = time.perf_counter() - started
            cpu = server.cpu_seconds() - cpu_before
            client.check_blob(repository, blob)
            shutil.rmtree(directory)
            if run < 0:
                bench.log(f"push {mode}, warm-up, {kind}: {blob.size / 1e6 / seconds:.0f} MB/s, {cpu:.2f} s CPU")
                continue
            bench.results.add(f"push_{mode}_mbps", kind, blob.size / 1e6 / seconds)
            bench.results.add(f"push_{mode}_cpu", kind, cpu / (blob.size / GIB))
            bench.log(f"push {mode}, run {run + 1}, {kind}: {blob.size / 1e6 / seconds:.0f} MB/s, "
                      f"{cpu:.2f} s CPU")


def pull_blob(bench):
    """One blob pulled with curl from each registry, and the very file berthd stores served
    by nginx with sendfile: MB/s and server CPU seconds per GiB."""
    directory = bench.scratch("pull")
    blob = bench.fresh.write_blob(directory / "blob", bench.profile.blob_size)
    repository = "bench/pull"
    urls = {}
    servers = dict(bench.main)
    for kind in REGISTRIES:
        client = RegistryClient(servers[kind].base_url)
        client.push_blob(repository, blob)
        urls[kind] = client.blob_url(repository, blob.digest)
    hex_digest = blob.digest.removeprefix("sha256:")
    stored = Path("docker/registry/v2/blobs/sha256") / hex_digest[:2] / hex_digest / "data"
    if not (servers[BERTHD].storage_root / stored).is_file():
        raise ClientError(f"berthd did not store {blob.digest} at {stored}")
    servers[NGINX] = bench.pool.nginx(servers[BERTHD].storage_root)
    servers[NGINX].start()
    urls[NGINX] = f"{servers[NGINX].base_url}/{stored}"
    try:
        for url in urls.values():  # every file in the page cache before the timed pulls
            download(url)
        for run, kind in interleaved((BERTHD, DISTRIBUTION, NGINX), bench.profile.runs):
            cpu_before = servers[kind].cpu_seconds()
            size, seconds = download(urls[kind])
            cpu = servers[kind].cpu_seconds() - cpu_before
            if size != blob.size:
                raise ClientError(f"{kind} sent {size} bytes of {blob.size}")
            bench.results.add("pull_mbps", kind, size / 1e6 / seconds)
            bench.results.add("pull_cpu", kind, cpu / (size / GIB))
            bench.log(f"pull, run {run + 1}, {kind}: {size / 1e6 / seconds:.0f} MB/s, {cpu:.2f} s CPU")
    finally:
        bench.pool.stop(servers[NGINX])
        shutil.rmtree(directory)


def manifest_requests(bench):
    """GET and HEAD of a small image's manifest by tag, at each connection count,
    kept alive and with `Connection: close` on every request: requests/s, p50 and p99."""
    image = write_oci_layout(bench.scratch("small-image"), bench.fresh, bench.profile.small_layer_size)
    skopeo = Skopeo(bench.scratch("skopeo-home"))
    for kind in REGISTRIES:
        skopeo.copy(image, f"docker://{bench.main[kind].base_url.removeprefix('http://')}/bench/small:latest")
    for connections in bench.profile.connections:
        for method in ("GET", "HEAD"):
            for close in (False, True):
                key = manifest_key(method, connections, close)
                for run, kind in interleaved(REGISTRIES, bench.profile.runs):
                    url = f"{bench.main[kind].base_url}/v2/bench/small/manifests/latest"
                    load = load_test(url, method, connections, bench.profile.load_seconds, MANIFEST_ACCEPT, close)
                    bench.results.add(key + "_rps", kind, load.requests_per_second)
                    bench.results.add(key + "_p50", kind, load.p50_ms)
                    bench.results.add(key + "_p99", kind, load.p99_ms)
                    bench.log(f"{key}, run {run + 1}, {kind}: {load.requests_per_second:,.0f} req/s, "
                              f"p50 {load.p50_ms:.2f} ms, p99 {load.p99_ms:.2f} ms")


def concurrent_pushes(bench):
    """Distinct small images pushed by as many skopeo processes at once: wall time."""
    skopeo = Skopeo(bench.scratch("skopeo-home"))
    count = bench.profile.concurrent_pushes
    for run, kind in interleaved(REGISTRIES, bench.profile.runs):
        directory = bench.scratch("concurrent-images")
        images = [write_oci_layout(directory / f"image-{index}", bench.fresh, bench.profile.small_layer_size)
                  for index in range(count)]
        host = bench.main[kind].base_url.removeprefix("http://")
        os.sync()
        started = time.perf_counter()
        copies = [skopeo.start_copy(image, f"docker://{host}/bench/concurrent-{run}-{index}:latest")
                  for index, image in enumerate(images)]
        Skopeo.wait(copies, PUSHES_TIMEOUT_S)
        seconds = time.perf_counter() - started
        shutil.rmtree(directory)
        bench.results.add("concurrent_pushes", kind, seconds)
        bench.log(f"{count} concurrent pushes, run {run + 1}, {kind}: {seconds:.2f} s")


def start_up(bench):
    """A registry started on a fresh copy of the large storage root: seconds until it
    answers GET /v2/, and until it serves the first catalog page."""
    for run, kind in interleaved(REGISTRIES, bench.profile.runs):
        server = bench.pool.registry(kind, bench.copy_of_large_root(f"start-up-{kind}"))
        api, catalog = server.start()
        bench.pool.stop(server)
        shutil.rmtree(server.storage_root.parent)
        bench.results.add("start_up", kind, api)
        bench.results.add("start_up_catalog", kind, catalog)
        bench.log(f"start-up, run {run + 1}, {kind}: {api:.3f} s, first catalog page at {catalog:.3f} s")


def listings(bench):
    """The catalog of the large storage root, its first page and a full walk with n=100,
    and the tags list of its repository with many tags."""
    profile = bench.profile
    servers = {}
    for kind in REGISTRIES:
        servers[kind] = bench.pool.registry(kind, bench.copy_of_large_root(f"listings-{kind}"))
        servers[kind].start()
    try:
        tags_path = f"/v2/{bench.large_root.tags_repository}/tags/list"
        max_pages = profile.repositories // 100 + 10
        for run, kind in interleaved(REGISTRIES, profile.runs):
            client = KeepAliveClient(servers[kind].base_url)
            try:
                first_page, _, _ = client.get("/v2/_catalog?n=100")
                walk, repositories = client.walk("/v2/_catalog?n=100", "repositories", max_pages)
                tags_seconds, tags = client.walk(tags_path, "tags", max_pages)
            finally:
                client.close()
            if len(repositories) != profile.repositories or len(tags) != profile.tags:
                raise ClientError(f"{kind} listed {len(repositories)} repositories and {len(tags)} tags, "
                                  f"expected {profile.repositories} and {profile.tags}")
            bench.results.add("catalog_first_page", kind, first_page * 1000)
            bench.results.add("catalog_walk", kind, walk)
            bench.results.add("tags_list", kind, tags_seconds * 1000)
            bench.log(f"listings, run {run + 1}, {kind}: first page {first_page * 1000:.1f} ms, "
                      f"walk {walk:.2f} s, tags {tags_seconds * 1000:.1f} ms")
    finally:
        for server in servers.values():
            bench.pool.stop(server)
            shutil.rmtree(server.storage_root.parent)


def _blobs_left(storage_root):
    return sum(1 for _ in (storage_root / "docker/registry/v2/blobs").glob("sha256/*/*/data"))


def _check_collected(kind, storage_root, large_root):
    left = _blobs_left(storage_root)
    if left != large_root.blobs - large_root.garbage_blobs:
        raise ClientError(f"{kind} left {left} blobs of {large_root.blobs}, expected "
                          f"{large_root.blobs - large_root.garbage_blobs} ({large_root.garbage_blobs} are garbage)")


def garbage_collection(bench):
    """`garbage-collect` of each program on a fresh copy of the large storage root (offline,
    as Distribution requires), then berthd's online collection through its admin API while
    a client keeps pulling manifests: seconds, and whether every request was served."""
    for run, kind in interleaved(REGISTRIES, bench.profile.runs):
        server = bench.pool.registry(kind, bench.copy_of_large_root(f"gc-{kind}"))
        server.write_config()
        started = time.perf_counter()
        run_command([bench.programs[kind], "garbage-collect", str(server.config_path)], GC_TIMEOUT_S)
        seconds = time.perf_counter() - started
        _check_collected(kind, server.storage_root, bench.large_root)
        bench.pool.stop(server)  # never started: only forgotten
        shutil.rmtree(server.storage_root.parent)
        bench.results.add("gc_offline", kind, seconds)
        bench.log(f"garbage-collect, run {run + 1}, {kind}: {seconds:.2f} s")
    for run in range(bench.profile.runs):
        seconds, served = _online_collection(bench)
        bench.results.add("gc_online", BERTHD, seconds)
        bench.results.flags["gc_online_served"] = bench.results.flags.get("gc_online_served", True) and served
        bench.log(f"online garbage collection, run {run + 1}, berthd: {seconds:.2f} s, "
                  f"{'every request served' if served else 'REQUESTS FAILED'}")


def _admin(server, method, path, body=None):
    connection = http.client.HTTPConnection("127.0.0.1", server.admin_port, timeout=60)
    try:
        connection.request(method, path, body=body, headers={"Authorization": f"Bearer {server.admin_token}",
                                                             "Content-Type": "application/json"})
        response = connection.getresponse()
        answer = response.read()
        if response.status not in (200, 202):
            raise ClientError(f"{method} {path} answered {response.status}: {answer[:300]!r}")
        return json.loads(answer)
    finally:
        connection.close()


class _ManifestPuller(threading.Thread):
    """Pulls one manifest over and over until stopped, counting what was served and what failed."""

    def __init__(self, server, path):
        super().__init__(daemon=True)
        self._server = server
        self._path = path
        self._stopping = threading.Event()
        self.served = 0
        self.failed = 0

    def run(self):
        client = KeepAliveClient(self._server.base_url, timeout_s=30)
        try:
            while not self._stopping.is_set():
                try:
                    client.get(self._path)
                    self.served += 1
                except (OSError, ClientError, http.client.HTTPException):
                    self.failed += 1
                    client.close()
                    client = KeepAliveClient(self._server.base_url, timeout_s=30)
        finally:
            client.close()

    def stop(self):
        self._stopping.set()
        self.join()


def _wait_until(condition, timeout_s):
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise ClientError(f"gave up waiting after {timeout_s} s")
        time.sleep(0.01)


def _online_collection(bench):
    server = bench.pool.registry(BERTHD, bench.copy_of_large_root("gc-online"), admin_token=ADMIN_TOKEN)
    server.start()
    puller = _ManifestPuller(server, f"/v2/{bench.large_root.tags_repository}/manifests/v00000")
    try:
        puller.start()
        _wait_until(lambda: puller.served > 0 or puller.failed > 0, 30)
        started = time.perf_counter()
        # No grace period: every blob of the generated root is younger than the default hour.
        job = _admin(server, "POST", "/admin/v1/gc", json.dumps({"grace_period_seconds": 0}))
        while job.get("state") not in ("done", "failed", "cancelled"):
            if time.perf_counter() - started > GC_TIMEOUT_S:
                raise ClientError(f"the online collection did not finish within {GC_TIMEOUT_S} s")
            time.sleep(0.01)
            job = _admin(server, "GET", f"/admin/v1/gc/{job['id']}")
        seconds = time.perf_counter() - started
        puller.stop()
        if job["state"] != "done":
            raise ClientError(f"the online collection ended {job['state']}: {job}")
        _check_collected(BERTHD, server.storage_root, bench.large_root)
        return seconds, puller.failed == 0
    finally:
        if puller.is_alive():
            puller.stop()
        bench.pool.stop(server)
        shutil.rmtree(server.storage_root.parent)


def console(bench):
    """The console's registry browser (tests/bench/ConsoleModelBenchmark, offscreen) on a
    berthd serving a generated root of many repositories, one of them with many tags: first
    screens, scrolling to the end, sorting the tags by size, UI-thread stalls, peak memory."""
    if not bench.console_benchmark:
        bench.log("console: skipped, no --console-benchmark program (scripts/benchmark.sh builds one)")
        return
    profile = bench.profile
    started = time.perf_counter()
    root = generate_console_root(bench.scratch("console-root", bench.roots_dir) / "storage",
                                 profile.console_repositories, profile.console_tags)
    bench.log(f"generated {root.repositories:,} repositories for the console in {time.perf_counter() - started:.1f} s")
    server = bench.pool.registry(BERTHD, root.path)
    try:
        server.start()
        command = [bench.console_benchmark, "--registry", server.base_url, "--repositories", str(root.repositories),
                   "--tags-repository", root.tags_repository, "--tags", str(root.tags),
                   "--page-size", str(profile.console_page_size), "--runs", str(profile.runs),
                   "--timeout", str(CONSOLE_PHASE_TIMEOUT_S), "--json"]
        runs = json.loads(run_command(command, CONSOLE_PHASE_TIMEOUT_S * 4 * profile.runs))["runs"]
    finally:
        # Not a figure of berthd's memory: Distribution serves no such root in this run.
        bench.pool.stop(server, record_memory=False)
        shutil.rmtree(root.path.parent)
    for number, figures in enumerate(runs, 1):
        for key, value in figures.items():
            bench.results.add(f"console_{key}", BERTHD, value)
        bench.log(f"console, run {number}: first repositories {figures['repositories_first_screen_ms']:.0f} ms, "
                  f"end {figures['repositories_end_s']:.2f} s, stall {figures['repositories_stall_ms']:.0f} ms; "
                  f"first tags {figures['tags_first_screen_ms']:.0f} ms, end {figures['tags_end_s']:.2f} s, "
                  f"stall {figures['tags_stall_ms']:.0f} ms; sorted by size {figures['tags_sorted_by_size_s']:.2f} s, "
                  f"stall {figures['tags_sorted_stall_ms']:.0f} ms; peak memory {figures['peak_rss_mib']:.0f} MiB")


WORKLOADS = {
    "push": push_blob,
    "pull": pull_blob,
    "manifests": manifest_requests,
    "concurrent-pushes": concurrent_pushes,
    "start-up": start_up,
    "listings": listings,
    "gc": garbage_collection,
    "console": console,
}
# These use the main registries; the others start their own on the large storage root.
MAIN_REGISTRY_WORKLOADS = ("push", "pull", "manifests", "concurrent-pushes")
