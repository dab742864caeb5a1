"""The clients that load the servers: curl for blob bodies, wrk, hey and ab for manifest
requests, skopeo for image pushes, and Python's http.client on one kept-alive connection for
walking paginated listings."""

import http.client
import json
import os
import re
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

CURL_TIMEOUT_S = 600
WRK_SCRIPT = Path(__file__).with_name("wrk-report.lua")


class ClientError(RuntimeError):
    pass


def run_command(command, timeout_s, environment=None):
    """Runs a command to completion; its stdout, or ClientError with its stderr."""
    try:
        finished = subprocess.run(command, capture_output=True, text=True, timeout=timeout_s, env=environment)
    except subprocess.TimeoutExpired as timeout:
        raise ClientError(f"{command[0]} did not finish within {timeout_s} s: {' '.join(command)}") from timeout
    if finished.returncode != 0:
        raise ClientError(f"{' '.join(command)} exited with {finished.returncode}: {finished.stderr.strip()}")
    return finished.stdout


@dataclass
class CurlResponse:
    status: int
    headers: dict


def curl(method, url, body=None, headers=()):
    """One request with curl, the body streamed from a file; the last response's status and
    headers (lower-case names)."""
    # -I, not -X HEAD: curl would wait for a body that never comes.
    command = ["curl", "-sS", *(["-I"] if method == "HEAD" else ["-X", method]), "-D", "-", "-o", "/dev/null",
               "-H", "Expect:"]
    for header in headers:
        command += ["-H", header]
    if body is not None:
        command += ["-T", str(body)]
    output = run_command(command + [url], CURL_TIMEOUT_S)
    head = [block for block in output.replace("\r\n", "\n").split("\n\n") if block.startswith("HTTP/")][-1]
    status_line, *lines = head.splitlines()
    fields = dict(line.split(":", 1) for line in lines if ":" in line)
    return CurlResponse(int(status_line.split()[1]),
                        {name.strip().lower(): value.strip() for name, value in fields.items()})


def download(url):
    """GETs url with curl into /dev/null: (bytes, seconds) as curl measured them."""
    output = run_command(["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code} %{size_download} %{time_total}", url],
                 CURL_TIMEOUT_S)
    status, size, seconds = output.split()
    if status != "200":
        raise ClientError(f"GET {url} answered {status}")
    return int(size), float(seconds)


class RegistryClient:
    """The distribution API calls the workloads make, against one registry."""

    def __init__(self, base_url):
        self.base_url = base_url

    def _expect(self, response, status, what):
        if response.status != status:
            raise ClientError(f"{what} at {self.base_url} answered {response.status}, expected {status}")
        return response

    def _next(self, response):
        return urljoin(self.base_url, response.headers["location"])

    @staticmethod
    def _with_digest(location, digest):
        return location + ("&" if "?" in location else "?") + "digest=" + digest

    def push_blob(self, repository, blob):
        """Pushes a blob: one PUT with the whole body, or a PATCH per chunk file then a PUT."""
        octets = "Content-Type: application/octet-stream"
        started = curl("POST", f"{self.base_url}/v2/{repository}/blobs/uploads/", headers=["Content-Length: 0"])
        location = self._next(self._expect(started, 202, "POST blobs/uploads/"))
        if not blob.chunks:
            done = curl("PUT", self._with_digest(location, blob.digest), body=blob.path, headers=[octets])
            self._expect(done, 201, "monolithic PUT")
            return
        offset = 0
        for chunk in blob.chunks:
            size = chunk.stat().st_size
            patched = curl("PATCH", location, body=chunk,
                           headers=[octets, f"Content-Range: {offset}-{offset + size - 1}"])
            location = self._next(self._expect(patched, 202, "PATCH"))
            offset += size
        done = curl("PUT", self._with_digest(location, blob.digest), headers=[octets, "Content-Length: 0"])
        self._expect(done, 201, "closing PUT")

    def blob_url(self, repository, digest):
        return f"{self.base_url}/v2/{repository}/blobs/{digest}"

    def check_blob(self, repository, blob):
        response = curl("HEAD", self.blob_url(repository, blob.digest))
        self._expect(response, 200, f"HEAD blob {blob.digest}")
        if int(response.headers.get("content-length", -1)) != blob.size:
            raise ClientError(f"{self.base_url} stored {response.headers.get('content-length')} bytes of "
                              f"{blob.digest}, pushed {blob.size}")


class KeepAliveClient:
    """GETs of JSON documents on one kept-alive connection; walk() follows the Link headers
    of a paginated listing."""

    LINK = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?')

    def __init__(self, base_url, timeout_s=600):
        parts = urlsplit(base_url)
        self._connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout_s)

    def close(self):
        self._connection.close()

    def get(self, path):
        """(seconds, parsed JSON body, the next page's path or None)."""
        started = time.perf_counter()
        self._connection.request("GET", path)
        response = self._connection.getresponse()
        body = response.read()
        seconds = time.perf_counter() - started
        if response.status != 200:
            raise ClientError(f"GET {path} answered {response.status}: {body[:300]!r}")
        link = self.LINK.search(response.getheader("Link") or "")
        return seconds, json.loads(body), (link.group(1) if link else None)

    def walk(self, path, key, max_pages):
        """Every item of every page from `path` on: (seconds, items). The seconds are those
        of the exchanges only: parsing the JSON is this client's work, not the server's."""
        items = []
        total_seconds = 0.0
        for _ in range(max_pages):
            seconds, body, path = self.get(path)
            total_seconds += seconds
            items += body.get(key) or []
            if path is None:
                return total_seconds, items
        raise ClientError(f"the listing still had pages after {max_pages}")


@dataclass
class LoadResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float


def load_test(url, method, connections, seconds, accept, close):
    """A closed-loop load test on `connections` connections, kept alive or closed after
    every request (`Connection: close`); every answer must be 2xx. GETs run with wrk, the
    lightest client. wrk 4.1 waits for a body after a HEAD response, so HEADs kept alive run
    with hey, and HEADs that close with ab: ab's keep-alive is HTTP/1.0's, but a request that
    closes its connection is the same in both versions, and hey's multi-threaded Go runtime
    needs more CPU per new connection than the server it loads on two shared cores."""
    if method == "HEAD" and close:
        return _ab(url, method, connections, seconds, accept)
    if method == "HEAD":
        return _hey(url, method, connections, seconds, accept, close)
    return _wrk(url, method, connections, seconds, accept, close)


def _wrk(url, method, connections, seconds, accept, close):
    headers = [f"Accept: {accept}"] + (["Connection: close"] if close else [])
    environment = dict(os.environ, BENCH_METHOD=method, BENCH_HEADERS="\n".join(headers))
    output = run_command(["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s",
                  "-s", str(WRK_SCRIPT), url], seconds + 60, environment)
    report = json.loads(next(line for line in output.splitlines() if line.startswith("{")))
    if report["requests"] == 0 or report["non_2xx"] or report["timeouts"]:
        raise ClientError(f"wrk {method} {url}: {report}")
    return LoadResult(report["requests"] / (report["duration_us"] / 1e6),
                      report["p50_us"] / 1000, report["p99_us"] / 1000)


def _hey(url, method, connections, seconds, accept, close):
    command = ["hey", "-z", f"{seconds}s", "-c", str(connections), "-m", method, "-t", "10", "-A", accept]
    output = run_command(command + (["-disable-keepalive"] if close else []) + [url], seconds + 60)

    def number(pattern):
        return _figure(output, pattern, f"hey {method} {url}")

    statuses = re.findall(r"\[(\d+)\]\s+\d+ responses", output)
    if not statuses or set(statuses) != {"200"} or "Error distribution" in output:
        raise ClientError(f"hey {method} {url} had failures:\n{output}")
    return LoadResult(number(r"Requests/sec:\s+([\d.]+)"), number(r"50% in ([\d.]+) secs") * 1000,
                      number(r"99% in ([\d.]+) secs") * 1000)


def _figure(output, pattern, run):
    """The number `pattern` captures in a load tool's report."""
    found = re.search(pattern, output)
    if not found:
        raise ClientError(f"{run}: no {pattern!r} in its output:\n{output}")
    return float(found.group(1))


def _ab(url, method, connections, seconds, accept):
    """ab with a new connection for every request (no -k); -n only bounds the run, -t ends it."""
    with tempfile.NamedTemporaryFile("r", suffix=".csv") as percentiles:
        command = ["ab", "-q", "-c", str(connections), "-t", str(seconds), "-n", "1000000", "-s", "10",
                   *(["-i"] if method == "HEAD" else []), "-H", f"Accept: {accept}", "-H", "Connection: close",
                   "-e", percentiles.name, url]
        output = run_command(command, seconds + 60)
        latency = dict(line.split(",", 1) for line in percentiles.read().splitlines()[1:])

    def number(pattern):
        return _figure(output, pattern, f"ab {method} {url}")

    if number(r"Complete requests:\s+(\d+)") == 0 or number(r"Failed requests:\s+(\d+)") != 0 \
            or "Non-2xx responses" in output:
        raise ClientError(f"ab {method} {url} had failures:\n{output}")
    return LoadResult(number(r"Requests per second:\s+([\d.]+)"), float(latency["50"]), float(latency["99"]))


class Skopeo:
    """skopeo with its own home: no user configuration, no proxy, plain HTTP to loopback."""

    def __init__(self, home):
        home = Path(home)
        for directory in ("run", "tmp", "config", "registries.d"):
            (home / directory).mkdir(parents=True, exist_ok=True)
        (home / "registries.conf").write_text("unqualified-search-registries = []\n")
        self._registries_d = home / "registries.d"
        self._environment = {name: value for name, value in os.environ.items() if "proxy" not in name.lower()}
        self._environment.update(HOME=str(home), XDG_RUNTIME_DIR=str(home / "run"),
                                 XDG_CONFIG_HOME=str(home / "config"), TMPDIR=str(home / "tmp"),
                                 CONTAINERS_REGISTRIES_CONF=str(home / "registries.conf"))

    def start_copy(self, source, destination):
        """Starts `skopeo copy` keeping the source's digests (no re-compression on the client)."""
        return subprocess.Popen(["skopeo", "--registries.d", str(self._registries_d), "--insecure-policy", "copy",
                                 "--dest-tls-verify=false", "--preserve-digests", "--quiet", source, destination],
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                env=self._environment)

    @staticmethod
    def wait(copies, timeout_s):
        """Waits for every started copy; raises with the first failure's stderr."""
        deadline = time.monotonic() + timeout_s
        failures = []
        for copy in copies:
            try:
                _, error = copy.communicate(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                copy.kill()
                _, error = copy.communicate()
                error = f"did not finish within {timeout_s} s. ".encode() + error
            if copy.returncode != 0:
                failures.append(error.decode(errors="replace").strip())
        if failures:
            raise ClientError(f"{len(failures)} skopeo copies failed, the first: {failures[0]}")

    def copy(self, source, destination, timeout_s=300):
        self.wait([self.start_copy(source, destination)], timeout_s)
