"""Several app servers behind nginx, on this machine, as deploy/ runs them on several.

`Cluster` starts N app servers (`python -m broadsheet.config.serve`, each with its pages and
live servers) that share one PostgreSQL database and one Redis key prefix and nothing else
(each has its own var folder), and `Nginx` puts Debian's nginx in front of them with a
configuration generated from deploy/nginx/ (the TLS lines taken out, 127.0.0.1 only), as a
child process with its own prefix, pid, logs, cache and temporary folders.
"""

import contextlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from tests.servers import ROOT, ServerError, SiteServer, free_port

DEPLOY = ROOT / "deploy" / "nginx"
SITE_FILE = DEPLOY / "broadsheet.conf"
PROXY_FILE = DEPLOY / "broadsheet-proxy.conf"
SNIPPET = "/etc/nginx/snippets/broadsheet-proxy.conf"


def nginx_binary() -> str | None:
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")


def _replace(text: str, old: str, new: str, *, count: int = 1, regex: bool = False) -> str:
    """Replace exactly `count` occurrences, or fail: the site file changed shape."""
    found = len(re.findall(old, text, re.DOTALL)) if regex else text.count(old)
    if found != count:
        raise AssertionError(f"{old!r} occurs {found} times in deploy/nginx, expected {count}")
    return re.sub(old, new, text, flags=re.DOTALL) if regex else text.replace(old, new)


def site_config(
    folder: Path,
    *,
    pages: list[int],
    live: list[int],
    listen: int | None,
    static_root: Path,
    certificate: tuple[Path, Path] | None = None,
) -> str:
    """deploy/nginx's site file with this machine's ports and folders; without `listen` the
    TLS server is kept (with `certificate`) for `nginx -t`, with it TLS is taken out."""
    site = SITE_FILE.read_text()
    proxy = _replace(PROXY_FILE.read_text(), "/srv/broadsheet/var/static/", f"{static_root}/")
    (folder / "broadsheet-proxy.conf").write_text(proxy)
    site = _replace(site, SNIPPET, str(folder / "broadsheet-proxy.conf"))
    site = _replace(site, "/var/cache/nginx/broadsheet", str(folder / "cache"))
    options = " max_fails=1 fail_timeout=10s;"
    for port, ports in (("8000", pages), ("8001", live)):
        lines = "\n".join(f"    server 127.0.0.1:{p}{options}" for p in ports)
        site = _replace(site, f"    server 127.0.0.1:{port}{options}", lines)
    if listen is None:
        assert certificate is not None
        site = _replace(site, "/etc/letsencrypt/live/news.example.com/fullchain.pem",
                        str(certificate[0]))  # fmt: skip
        return _replace(site, "/etc/letsencrypt/live/news.example.com/privkey.pem",
                        str(certificate[1]))  # fmt: skip
    # Plain HTTP on 127.0.0.1: no redirect server, no TLS lines.
    site = _replace(site, r"\n# Plain HTTP:.*?\n}\n", "\n", regex=True, count=1)
    return _replace(
        site, r"    # --- TLS \(begin\) ---\n.*?    # --- TLS \(end\) ---\n",
        f"    listen 127.0.0.1:{listen};\n", regex=True,
    )  # fmt: skip


def main_config(folder: Path, site: str) -> str:
    (folder / "site.conf").write_text(site)
    temp = folder / "temp"
    for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (temp / name).mkdir(parents=True, exist_ok=True)
    # Started by root, nginx's workers would run as nobody, who cannot enter the test's folders.
    user = "user root;\n" if os.geteuid() == 0 else ""
    return f"""{user}daemon off;
master_process on;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {folder}/access.log;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {folder}/site.conf;
}}
"""


class Nginx:
    """nginx in front of the app servers, a child process of the test's own."""

    def __init__(self, folder: Path, *, pages: list[int], live: list[int], static_root: Path):
        self.folder = folder
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.pages, self.live, self.static_root = pages, live, static_root
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 20) -> "Nginx":
        binary = nginx_binary()
        assert binary, "nginx is not installed"
        self.folder.mkdir(parents=True, exist_ok=True)
        site = site_config(self.folder, pages=self.pages, live=self.live, listen=self.port,
                           static_root=self.static_root)  # fmt: skip
        conf = self.folder / "nginx.conf"
        conf.write_text(main_config(self.folder, site))
        command = [
            binary,
            "-p",
            str(self.folder),
            "-c",
            str(conf),
            "-e",
            str(self.folder / "error.log"),
        ]
        with (self.folder / "nginx.out").open("ab") as out:
            self.process = subprocess.Popen(
                command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerError(f"nginx exited while starting\n{self.log()}")
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), 1),
            ):
                return self
            time.sleep(0.1)
        self.stop()
        raise ServerError(f"nginx did not listen on {self.port} in {timeout:.0f} s\n{self.log()}")

    def stop(self) -> None:
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(5)
            self.process = None

    def log(self) -> str:
        parts = []
        for name in ("error.log", "nginx.out"):
            with contextlib.suppress(OSError):
                parts.append((self.folder / name).read_text(errors="replace")[-3000:])
        return "--- nginx log ---\n" + "\n".join(parts)

    def client(self, **options: object) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30, **options)  # type: ignore[arg-type]


class Cluster:
    """N app servers on one PostgreSQL database and one Redis prefix."""

    def __init__(self, folder: Path, count: int, env: dict[str, str]) -> None:
        self.folder = folder
        self.count = count
        # One secret for all, as in production: a session signed by one server is valid on all.
        self.env = {"SECRET_KEY": secrets.token_urlsafe(50), **env}
        self.servers: list[SiteServer] = []

    def start(self) -> "Cluster":
        first = SiteServer(self.folder / "app-0", workers=1, env=self.env).start()
        self.servers.append(first)
        shared = {
            **self.env,
            "DATABASE_URL": first.env["DATABASE_URL"],
            "CACHE_KEY_PREFIX": first.key_prefix,
            "STATIC_ROOT": str(first.var_dir / "static"),
        }
        others = []
        for n in range(1, self.count):
            # As in an upgrade: migrated and collected once, then every app server started.
            server = SiteServer(self.folder / f"app-{n}", workers=1, env=shared, demo=False,
                                arguments=("--no-prepare",))  # fmt: skip
            server.database = ""  # the first server's database: neither created nor dropped
            server.key_prefix = first.key_prefix
            others.append(server)
        try:
            with contextlib.ExitStack() as stack:
                from concurrent.futures import ThreadPoolExecutor

                pool = stack.enter_context(ThreadPoolExecutor(len(others) or 1))
                for server in pool.map(lambda s: s.start(), others):
                    self.servers.append(server)
        except BaseException:
            self.stop()
            raise
        return self

    @property
    def database_url(self) -> str:
        return self.servers[0].env["DATABASE_URL"]

    def stop(self) -> None:
        # The first server last: it drops the shared database.
        for server in reversed(self.servers):
            server.stop()

    def crash(self, server: SiteServer) -> None:
        """Kill an app server outright, its supervisor and every worker, as a power cut would."""
        assert server.process is not None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.process.pid, signal.SIGKILL)
        server.process.wait(10)


class ProxiedSite:
    """What `Visitor` needs of a site, at nginx's address: readers' browsers go through it."""

    def __init__(self, nginx: Nginx) -> None:
        self.url = nginx.url

    @contextlib.contextmanager
    def connection(self, worker: int | None = None, timeout: float = 60) -> Iterator[httpx.Client]:
        assert worker is None, "behind nginx a reader cannot choose the app server"
        with httpx.Client(base_url=self.url, timeout=timeout) as client:
            yield client
