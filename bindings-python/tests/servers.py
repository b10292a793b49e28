"""Real servers on the loopback for the remote-file tests and benchmarks.

- :class:`Nginx`: Debian's nginx (installed by ``bindings-python/ci.sh``) serving a
  folder with HTTP range requests; its access log gives the requests and bytes sent.
- :class:`MotoS3`: moto's S3 server (``moto[server]`` from PyPI) in its own process. It
  is an emulator of the S3 protocol (real HTTP, real s3fs client), not AWS.

Both listen on 127.0.0.1 only, on a free port, and stop when closed.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import List, Tuple


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_http(url: str, proc: subprocess.Popen, what: str, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode}: {log.read_text()[-2000:]}")
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"{what} did not answer at {url} within 30 s: {log.read_text()[-2000:]}")


def _stop(proc: subprocess.Popen) -> None:
    """Ends a server: SIGTERM, then SIGKILL when it has not exited after 10 s."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def nginx_binary() -> str:
    for candidate in (shutil.which("nginx"), "/usr/sbin/nginx"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    raise RuntimeError(
        "nginx is not installed: bindings-python/ci.sh installs it (apt-get install nginx-light)"
    )


class Nginx:
    """nginx serving `root` at ``http://127.0.0.1:PORT/``."""

    def __init__(self, root: Path, workdir: Path) -> None:
        self.root = Path(root).resolve()
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.log = self.workdir / "access.log"
        error_log = self.workdir / "error.log"
        # Workers run as root when we are root: the test folders are private (0700).
        user = "user root;\n" if os.geteuid() == 0 else ""
        conf = self.workdir / "nginx.conf"
        temp = self.workdir / "temp"
        temp.mkdir(exist_ok=True)
        conf.write_text(
            f"""{user}daemon off;
worker_processes 1;
pid {self.workdir / 'nginx.pid'};
error_log {error_log} warn;
events {{ worker_connections 256; }}
http {{
    log_format fetches '$request_method $uri $status $body_bytes_sent "$http_range"';
    access_log {self.log} fetches;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    default_type application/octet-stream;
    sendfile on;
    keepalive_requests 100000;
    server {{
        listen 127.0.0.1:{self.port};
        root {self.root};
        location / {{ autoindex on; }}
    }}
}}
"""
        )
        self.proc = subprocess.Popen(
            [nginx_binary(), "-c", str(conf), "-p", str(self.workdir)],
            stdout=subprocess.DEVNULL,
            stderr=open(error_log, "ab"),
        )
        self.url = f"http://127.0.0.1:{self.port}"
        _wait_http(self.url + "/", self.proc, "nginx", error_log)

    def entries(self) -> List[Tuple[str, str, int, int, str]]:
        """Access-log entries so far: (method, uri, status, bytes sent, range header)."""
        out = []
        if not self.log.exists():
            return out
        for line in self.log.read_text().splitlines():
            method, uri, status, sent, rng = line.split(" ", 4)
            out.append((method, uri, int(status), int(sent), rng.strip('"')))
        return out

    def mark(self) -> int:
        return len(self.entries())

    def fetched_since(self, mark: int, uri: str = "") -> Tuple[int, int]:
        """(requests, body bytes) logged after `mark` (for paths containing `uri`)."""
        new = [e for e in self.entries()[mark:] if uri in e[1]]
        return len(new), sum(e[3] for e in new)

    def close(self) -> None:
        _stop(self.proc)


class MotoS3:
    """moto's S3-compatible server (an emulator) at ``http://127.0.0.1:PORT``."""

    KEY = "fst24-test-key"
    SECRET = "fst24-test-secret"

    def __init__(self, workdir: Path) -> None:
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        log = self.workdir / "moto.log"
        exe = Path(sys.executable).with_name("moto_server")
        if not exe.exists():
            raise RuntimeError("moto_server is not installed: bindings-python/ci.sh installs moto[server]")
        self.proc = subprocess.Popen(
            [str(exe), "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=open(log, "ab"),
            stderr=subprocess.STDOUT,
        )
        self.url = f"http://127.0.0.1:{self.port}"
        _wait_http(self.url + "/", self.proc, "moto_server", log)

    @property
    def storage_options(self) -> dict:
        return {
            "key": self.KEY,
            "secret": self.SECRET,
            "client_kwargs": {"endpoint_url": self.url, "region_name": "us-east-1"},
        }

    def close(self) -> None:
        _stop(self.proc)
