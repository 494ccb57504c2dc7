"""The one way Broadsheet's servers start: `make serve`, the tests and production use it.

    python -m broadsheet.config.serve [--demo] [--prepare-only | --no-prepare]

Prepares the site (migrations, static files, and with --demo the demo data), then runs
and supervises two servers:
- pages: granian WSGI, WORKERS processes x THREADS threads, on HOST:PORT;
- live updates: granian ASGI, LIVE_WORKERS processes of coroutines, on HOST:LIVE_PORT
  (PORT + 1 by default), for the Server-Sent Events streams under /live/.
Pages keep the plain WSGI server (bench/serving_modes.py measured what an ASGI front
costs them); long-lived streams never hold a page thread. Behind a reverse proxy both
answer at one address (/live/ goes to the live server); without one, pages point the
browser at LIVE_URL (http://HOST:LIVE_PORT by default).

A worker that dies is replaced by granian (--respawn-failed-workers); a server that dies
is started again by this supervisor; when the supervisor ends, by a signal or killed
outright, the servers and their workers end with it.
"""

import ctypes
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType

PR_SET_PDEATHSIG = 1


def _setting(name: str, default: str) -> str:
    return os.environ.get(name) or default


def _granian() -> str:
    return shutil.which("granian", path=str(Path(sys.executable).parent)) or "granian"


def _server(interface: str, port: str, workers: str, *options: str) -> list[str]:
    return [
        _granian(),
        "--interface", interface,
        "--host", _setting("HOST", "127.0.0.1"),
        "--port", port,
        "--workers", workers,
        *options,
        "--respawn-failed-workers",
        "--respawn-interval", "0.5",
        "--log-level", _setting("SERVER_LOG_LEVEL", "warning"),
        f"broadsheet.config.{interface}:application",
    ]  # fmt: skip


def pages_command() -> list[str]:
    threads = _setting("THREADS", "4")
    port, workers = _setting("PORT", "8000"), _setting("WORKERS", "2")
    return _server("wsgi", port, workers, "--blocking-threads", threads, "--backpressure", "64")


def live_port() -> str:
    return _setting("LIVE_PORT", str(int(_setting("PORT", "8000")) + 1))


def live_command() -> list[str]:
    # Each stream is one long request: a worker may hold this many at once.
    streams = _setting("LIVE_CONNECTIONS_PER_WORKER", "10000")
    workers = _setting("LIVE_WORKERS", "1")
    return _server("asgi", live_port(), workers, "--backpressure", streams, "--backlog", "4096")


def prepare(*, demo: bool) -> None:
    manage = [sys.executable, "-m", "django"]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "broadsheet.config.settings"}
    steps = [["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]]
    if demo:
        steps.insert(1, ["seed_demo"])
    for step in steps:
        subprocess.run([*manage, *step], check=True, env=env)  # noqa: S603 - our own commands


def _end_with_supervisor() -> None:
    """In the child, before exec: the kernel sends SIGTERM when the supervisor dies."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class Supervisor:
    def __init__(self, commands: dict[str, list[str]]) -> None:
        self.commands = commands
        self.running: dict[int, str] = {}
        self.stopping = False

    def start(self, name: str) -> None:
        process = subprocess.Popen(self.commands[name], preexec_fn=_end_with_supervisor)  # noqa: S603
        self.running[process.pid] = name

    def stop(self, signum: int, _frame: FrameType | None) -> None:
        self.stopping = True
        for pid in list(self.running):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                self.running.pop(pid, None)

    def run(self) -> int:
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        for name in self.commands:
            self.start(name)
        while self.running:
            try:
                pid, status = os.wait()
            except ChildProcessError:
                break
            except InterruptedError:
                continue
            name = self.running.pop(pid, "")
            if name and not self.stopping:
                print(f"The {name} server stopped ({status}); starting it again.", flush=True)
                time.sleep(0.5)
                self.start(name)
        return 0


def main(argv: list[str]) -> None:
    # --no-prepare: the container image collected its static files at build time, and
    # migrations run once per upgrade before the app servers (README, "Upgrading").
    if "--no-prepare" not in argv:
        prepare(demo="--demo" in argv)
    if "--prepare-only" in argv:
        return
    host = _setting("HOST", "127.0.0.1")
    os.environ.setdefault("LIVE_URL", f"http://{host}:{live_port()}")
    port = _setting("PORT", "8000")
    print(f"Broadsheet is running at http://{host}:{port}/  (Ctrl-C stops it)", flush=True)
    supervisor = Supervisor({"pages": pages_command(), "live": live_command()})
    sys.exit(supervisor.run())


if __name__ == "__main__":
    main(sys.argv[1:])
