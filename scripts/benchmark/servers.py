"""The servers under test: berthd, CNCF Distribution (docker-registry) and nginx, each a
child process on a loopback port, with its CPU time and resident memory read from /proc."""

import ctypes
import http.client
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

BERTHD = "berthd"
DISTRIBUTION = "distribution"
NGINX = "nginx"
REGISTRIES = (BERTHD, DISTRIBUTION)

START_TIMEOUT_S = 120
STOP_GRACE_S = 10
_PR_SET_PDEATHSIG = 1


class ServerError(RuntimeError):
    pass


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _die_with_parent():
    # A benchmark killed with SIGKILL must not leave servers behind.
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def http_status(port, path, timeout=2.0):
    """The status of GET path, or None while nothing answers."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status
    except OSError:
        return None
    finally:
        connection.close()


class Process:
    """One server process: started with its output in a log file, stopped with SIGTERM."""

    def __init__(self, kind, command, workdir):
        self.kind = kind
        self.port = free_port()
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self._command = command
        self._process = None
        self._spawned_at = None
        self.log_path = self.workdir / "output.log"

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self):
        return self._process.pid

    def spawn(self, environment=None):
        self._spawned_at = time.perf_counter()
        with open(self.log_path, "ab") as log:
            self._process = subprocess.Popen(self._command(), stdin=subprocess.DEVNULL, stdout=log,
                                             stderr=subprocess.STDOUT, cwd=self.workdir,
                                             env=environment, preexec_fn=_die_with_parent)

    def wait_ready(self, path, timeout_s=START_TIMEOUT_S):
        """Seconds from the process's start until GET path answers 200; raises if it never does."""
        while time.perf_counter() - self._spawned_at < timeout_s:
            if self._process.poll() is not None:
                raise ServerError(f"{self.kind} exited with {self._process.returncode}:\n{self.log_tail()}")
            if http_status(self.port, path) == 200:
                return time.perf_counter() - self._spawned_at
            time.sleep(0.005)
        raise ServerError(f"{self.kind} did not answer GET {path} within {timeout_s} s:\n{self.log_tail()}")

    def cpu_seconds(self):
        """User plus system CPU time of every thread of the process so far."""
        with open(f"/proc/{self.pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        # utime and stime are fields 14 and 15 of proc(5); fields[0] is field 3.
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def memory_mib(self, key):
        """VmRSS (now) or VmHWM (peak) in MiB."""
        with open(f"/proc/{self.pid}/status") as status:
            for line in status:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) / 1024
        raise ServerError(f"no {key} in /proc/{self.pid}/status")

    def is_running(self):
        return self._process is not None and self._process.poll() is None

    def log_tail(self, characters=4000):
        try:
            return self.log_path.read_text(errors="replace")[-characters:]
        except OSError:
            return ""

    def stop(self):
        if not self.is_running():
            return
        self._process.terminate()
        try:
            self._process.wait(STOP_GRACE_S)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()


class Registry(Process):
    """berthd or docker-registry serving a filesystem storage root with deletes enabled."""

    def __init__(self, kind, program, workdir, storage_root, admin_token=None):
        super().__init__(kind, lambda: [program, "serve", str(self.config_path)], workdir)
        self.storage_root = Path(storage_root)
        self.config_path = self.workdir / "config.yml"
        self.admin_token = admin_token
        self.admin_port = free_port() if admin_token else None

    def start(self):
        """Starts the server; returns the seconds until it answered GET /v2/ and until it
        served the first catalog page (an index built in the background counts)."""
        self.write_config()
        self.spawn()
        return self.wait_ready("/v2/"), self.wait_ready("/v2/_catalog?n=100")

    def write_config(self):
        self.storage_root.mkdir(parents=True, exist_ok=True)
        self.config_path.write_text(self._config())

    def _config(self):
        config = ("version: 0.1\n"
                  "log:\n"
                  "  level: info\n"
                  "storage:\n"
                  "  filesystem:\n"
                  f"    rootdirectory: \"{self.storage_root}\"\n"
                  "  delete:\n"
                  "    enabled: true\n"
                  "http:\n"
                  f"  addr: 127.0.0.1:{self.port}\n")
        if self.admin_token:
            config += f"admin:\n  addr: 127.0.0.1:{self.admin_port}\n  token: \"{self.admin_token}\"\n"
        return config


class Nginx(Process):
    """nginx serving a directory with sendfile: the physical limit for a pull."""

    def __init__(self, workdir, document_root):
        super().__init__(NGINX, lambda: ["nginx", "-e", str(self.workdir / "error.log"),
                                         "-p", str(self.workdir), "-c", str(self.config_path)], workdir)
        self.document_root = Path(document_root)
        self.config_path = self.workdir / "nginx.conf"

    def start(self):
        temp = self.workdir / "temp"
        temp.mkdir(exist_ok=True)
        # One process that stays in the foreground: its pid is the one whose CPU is counted.
        self.config_path.write_text(f"""daemon off;
master_process off;
worker_processes 1;
pid {self.workdir}/nginx.pid;
error_log {self.workdir}/error.log;
events {{ worker_connections 256; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    default_type application/octet-stream;
    server {{
        listen 127.0.0.1:{self.port};
        root {self.document_root};
        location = /ready {{ return 200; }}
    }}
}}
""")
        self.spawn()
        return self.wait_ready("/ready")


class ServerPool:
    """Starts every server of the run, stops them all at the end, and remembers each
    registry's peak resident memory."""

    def __init__(self, workdir, programs):
        self._workdir = Path(workdir)
        self._programs = programs
        self._servers = []
        self._count = 0
        self.peak_rss_mib = {kind: 0.0 for kind in REGISTRIES}

    def _directory(self, name):
        self._count += 1
        return self._workdir / f"{self._count:03d}-{name}"

    def registry(self, kind, storage_root=None, admin_token=None):
        """A registry, not yet started, on storage_root (a fresh empty one when None)."""
        directory = self._directory(kind)
        root = storage_root or directory / "storage"
        server = Registry(kind, self._programs[kind], directory, root, admin_token)
        self._servers.append(server)
        return server

    def nginx(self, document_root):
        server = Nginx(self._directory(NGINX), document_root)
        self._servers.append(server)
        return server

    def running(self):
        return [server for server in self._servers if server.is_running()]

    def stop(self, server, record_memory=True):
        if record_memory and isinstance(server, Registry) and server.is_running():
            self.peak_rss_mib[server.kind] = max(self.peak_rss_mib[server.kind], server.memory_mib("VmHWM"))
        server.stop()
        if server in self._servers:
            self._servers.remove(server)

    def stop_all(self):
        for server in list(self._servers):
            self.stop(server)
