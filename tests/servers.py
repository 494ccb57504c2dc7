"""The real site in real processes: `python -m broadsheet.config.serve --demo`, as `make serve`.

`SiteServer` starts it with a fresh var folder (its own SQLite file and embedded cache),
the demo data, a free port and N granian worker processes. In the PostgreSQL + Redis run
it uses a PostgreSQL database of its own (created and dropped here) and the run's Redis,
under a key prefix of its own. Responses name the worker that served them
(`X-Worker-Pid`), so a test can send a request to a chosen worker and check that every
worker answered.

`Visitor` is one reader's browser: it keeps cookies and opens a fresh connection for every
request, so consecutive requests may land on different workers, or on the one named.
"""

import contextlib
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]
DEMO_PASSWORD = "broadsheet-demo"

# Variables of the test run that must not leak into the server's own configuration.
PRIVATE_VARIABLES = {
    "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL", "REDIS_URL",
    "EMAIL_URL", "CACHE_KEY_PREFIX", "HOST", "PORT", "WORKERS", "THREADS", "BROADSHEET_ENV",
    "SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "TASKS_IMMEDIATE", "LIVE_URL", "LIVE_PORT",
    "LIVE_WORKERS",
}  # fmt: skip


class ServerError(AssertionError):
    """The server did not start or did not answer; the message ends with its log."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # "pid (command) state ppid ...": the command may hold spaces and parentheses.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


class SiteServer:
    """One running site: .url, .pids (its workers), .stop(), .kill_worker(), .log()."""

    def __init__(
        self,
        folder: Path,
        *,
        workers: int = 2,
        env: Mapping[str, str | None] | None = None,
        demo: bool = True,
        start_timeout: float = 240,
        arguments: tuple[str, ...] = (),
    ) -> None:
        self.folder = folder
        self.var_dir = folder / "var"
        self.log_path = folder / "server.log"
        self.workers = workers
        self.demo = demo
        self.arguments = arguments  # more for `serve`, e.g. --no-prepare
        self.start_timeout = start_timeout
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.live_port = free_port()
        self.live_url = f"http://127.0.0.1:{self.live_port}"
        self.redis_url = settings.REDIS_URL or ""
        self.key_prefix = f"site_{secrets.token_hex(4)}"
        self.database = ""
        self.env = self._environment(env or {})
        self.process: subprocess.Popen[bytes] | None = None

    # --- starting and stopping ----------------------------------------------------------

    def _environment(self, extra: Mapping[str, str | None]) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in PRIVATE_VARIABLES and not k.startswith(("BROADSHEET_", "PYTEST_"))
        }
        env |= {
            "BROADSHEET_VAR_DIR": str(self.var_dir),
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "LIVE_PORT": str(self.live_port),
            "WORKERS": str(self.workers),
            "WORKER_PID_HEADER": "true",
            "SITE_URL": self.url,
            "CACHE_KEY_PREFIX": self.key_prefix,
        }
        if self.redis_url:
            env["REDIS_URL"] = self.redis_url
        if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
            self.database = f"{settings.DATABASES['default']['NAME']}_{self.key_prefix}"
            env["DATABASE_URL"] = _postgres_url(self.database)
        for key, value in extra.items():
            if value is None:
                env.pop(key, None)
            else:
                env[key] = value
        if "REDIS_URL" in env:
            self.redis_url = env["REDIS_URL"]
        return env

    def start(self, *, fresh: bool = True) -> "SiteServer":
        """Start the site; `fresh=False` starts it again on the data it already has."""
        self.var_dir.mkdir(parents=True, exist_ok=True)
        if self.database and fresh:
            _postgres_admin(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
            _postgres_admin(f'CREATE DATABASE "{self.database}"')
        command = [sys.executable, "-m", "broadsheet.config.serve"]
        if self.demo:
            command.append("--demo")
        command.extend(self.arguments)
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # one process group: stop() ends every process
            )
        try:
            self.wait_until_ready(self.start_timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def wait_until_ready(self, timeout: float) -> None:
        """Wait until every worker has answered /healthz with 200."""
        deadline = time.monotonic() + timeout
        seen: set[int] = set()
        while time.monotonic() < deadline:
            if not self.running:
                raise ServerError(f"the server exited while starting\n{self.log()}")
            try:
                response = httpx.get(f"{self.url}/healthz", timeout=5)
            except httpx.HTTPError:
                time.sleep(0.3)
                continue
            if response.status_code == 200:
                seen.add(int(response.headers["x-worker-pid"]))
                if seen >= set(self.pids) and len(seen) >= self.workers and self.live_ready():
                    return
            else:
                time.sleep(0.2)
        raise ServerError(
            f"the server was not ready in {timeout:.0f} s (workers seen: {sorted(seen)})\n"
            f"{self.log()}"
        )

    def live_ready(self) -> bool:
        try:
            return httpx.get(f"{self.live_url}/live/", timeout=5).status_code == 200
        except httpx.HTTPError:
            return False

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def server_pid(self, kind: str) -> int:
        """The main process of the "pages" or the "live" server (the supervisor's children)."""
        assert self.process is not None
        for pid in _children(self.process.pid):
            try:
                command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            interface = b"wsgi" if kind == "pages" else b"asgi"
            if interface in command and alive(pid):
                return pid
        raise ServerError(f"no {kind} server running\n{self.log()}")

    @property
    def pids(self) -> list[int]:
        """The page worker processes serving now (granian's main process is not one)."""
        return self._workers("pages")

    @property
    def live_pids(self) -> list[int]:
        """The live server's worker processes."""
        return self._workers("live")

    def _workers(self, kind: str) -> list[int]:
        if not self.running:
            return []
        try:
            main = self.server_pid(kind)
        except ServerError:
            return []  # being started again by the supervisor
        return [pid for pid in _children(main) if alive(pid)]

    def kill_worker(self, pid: int | None = None, sig: int = signal.SIGKILL) -> int:
        """Kill one worker (the first, unless named); returns its pid."""
        pid = pid or self.pids[0]
        os.kill(pid, sig)
        return pid

    def stop(self, timeout: float = 15) -> None:
        """End the server and every process it started, then drop its database."""
        if self.process is not None:
            group = self.process.pid
            with contextlib.suppress(ProcessLookupError):
                os.killpg(group, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout)
            # Workers outliving their parent, or a hung shutdown: nothing may stay behind.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(group, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(5)
            self.process = None
        if self.database:
            _postgres_admin(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')

    def log(self, lines: int = 60) -> str:
        """The end of the server's output, for failure messages."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no server log)"
        return "--- server log (last lines) ---\n" + "\n".join(text.splitlines()[-lines:])

    # --- the shared store ---------------------------------------------------------------

    def clear_cache(self) -> None:
        """Empty the server's cache: rate limits, tokens and cached pages start afresh."""
        if self.env.get("REDIS_URL"):
            import redis

            client = redis.Redis.from_url(self.env["REDIS_URL"])
            keys = list(client.scan_iter(f"{self.key_prefix}:*", count=1000))
            if keys:
                client.delete(*keys)
            client.close()
            return
        import diskcache

        for shard in sorted((self.var_dir / "cache").glob("[0-9][0-9][0-9]")):
            with contextlib.closing(diskcache.Cache(str(shard))) as store:
                store.clear(retry=True)

    def mail_to(self, address: str) -> int:
        """How many e-mails the server has written to `address` (development mail files)."""
        folder = self.var_dir / "mail"
        if not folder.exists():
            return 0
        header = re.compile(rf"^To: {re.escape(address)}$", re.MULTILINE | re.IGNORECASE)
        texts = (path.read_text(errors="replace") for path in folder.iterdir())
        return sum(len(header.findall(text)) for text in texts)

    def manage(self, *args: str) -> str:
        """Run `manage.py ARGS` on the server's own database and settings; its output."""
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        if done.returncode:
            raise ServerError(f"manage.py {args[0]} failed:\n{done.stdout}{done.stderr}")
        return done.stdout

    # --- requests -----------------------------------------------------------------------

    def visitor(self) -> "Visitor":
        return Visitor(self)

    @contextlib.contextmanager
    def connection(self, worker: int | None = None, timeout: float = 90) -> Iterator[httpx.Client]:
        """A client on one fresh connection; on the worker named, if one is."""
        for _ in range(200):
            client = httpx.Client(
                base_url=self.url,
                timeout=timeout,
                limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
            )
            if worker is None or _served_by(client.get("/healthz")) == worker:
                break
            client.close()
        else:
            raise ServerError(f"no connection reached worker {worker}\n{self.log()}")
        try:
            yield client
        finally:
            client.close()


def _served_by(response: httpx.Response) -> int:
    return int(response.headers.get("x-worker-pid", 0))


class Visitor:
    """One reader's browser: cookies kept, a fresh connection for every request."""

    def __init__(self, server: SiteServer) -> None:
        self.server = server
        self.cookies = httpx.Cookies()

    def request(
        self, method: str, path: str, *, worker: int | None = None, **kwargs: Any
    ) -> httpx.Response:
        headers = dict(kwargs.pop("headers", {}))
        if method.upper() not in {"GET", "HEAD"} and "csrftoken" in self.cookies:
            headers.setdefault("X-CSRFToken", self.cookies["csrftoken"])
        with self.server.connection(worker) as client:
            client.cookies = self.cookies
            response = client.request(method, path, headers=headers, **kwargs)
            self.cookies = client.cookies
        if worker is not None:
            assert _served_by(response) == worker, "the request went to another worker"
        return response

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        if "csrftoken" not in self.cookies:
            self.get("/accounts/sign-in/")  # any page with a form sets the CSRF cookie
        return self.request("POST", path, **kwargs)

    def sign_in(
        self, email: str, password: str = DEMO_PASSWORD, *, worker: int | None = None
    ) -> httpx.Response:
        return self.post(
            "/accounts/sign-in/", data={"username": email, "password": password}, worker=worker
        )

    def signed_in(self, email: str, password: str = DEMO_PASSWORD) -> "Visitor":
        response = self.sign_in(email, password)
        assert response.status_code == 302, f"could not sign in as {email}: {response.status_code}"
        return self


# --- PostgreSQL: a database of the server's own ---------------------------------------------


def _postgres_url(name: str) -> str:
    db = settings.DATABASES["default"]
    user = quote(db.get("USER") or "")
    password = quote(db.get("PASSWORD") or "")
    credentials = f"{user}:{password}@" if password else f"{user}@" if user else ""
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    return f"postgres://{credentials}{host}:{port}/{name}"


def _postgres_admin(statement: str) -> None:
    import psycopg

    db = settings.DATABASES["default"]
    with psycopg.connect(
        dbname="postgres",
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        host=db.get("HOST") or "127.0.0.1",
        port=db.get("PORT") or 5432,
        autocommit=True,
    ) as connection:
        connection.execute(statement)


class ServerPool:
    """The session's servers: one per configuration, started on first use, all stopped at end."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.servers: dict[tuple[Any, ...], SiteServer] = {}
        self.started: list[SiteServer] = []

    def get(self, *, workers: int = 2, env: Mapping[str, str | None] | None = None) -> SiteServer:
        """A running server of this configuration, shared with other tests that ask for it."""
        key = (workers, tuple(sorted((env or {}).items())))
        server = self.servers.get(key)
        if server is None or not server.running or len(server.pids) < workers:
            if server is not None:
                server.stop()
            server = self.start(workers=workers, env=env)
            self.servers[key] = server
        return server

    def start(self, **options: Any) -> SiteServer:
        """A new server of its own, for a test that will break it."""
        folder = self.folder / f"server-{len(self.started)}"
        server = SiteServer(folder, **options)
        self.started.append(server)
        return server.start()

    def stop_all(self) -> None:
        for server in self.started:
            server.stop()


class RedisServer:
    """A Redis of a test's own on a free port, to stop and start again mid-test."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 20) -> "RedisServer":
        import redis

        self.folder.mkdir(parents=True, exist_ok=True)
        with (self.folder / "redis.log").open("ab") as log:
            self.process = subprocess.Popen(
                ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                 "--save", "", "--appendonly", "no", "--dir", str(self.folder)],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        client = redis.Redis.from_url(self.url, socket_connect_timeout=1)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with contextlib.suppress(redis.RedisError):
                if client.ping():
                    client.close()
                    return self
            time.sleep(0.1)
        self.stop()
        raise ServerError(f"redis-server did not answer on port {self.port} in {timeout:.0f} s")

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(10)
            self.process = None
