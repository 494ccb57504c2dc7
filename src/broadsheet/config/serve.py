"""The one way Broadsheet's app server starts: `make serve`, the tests and production use it.

    python -m broadsheet.config.serve [--demo] [--prepare-only]

Prepares the site (migrations, static files, and with --demo the demo data), then
replaces itself with granian. Read from the environment: HOST, PORT, WORKERS, THREADS.
A worker that dies is replaced (--respawn-failed-workers); the others keep serving.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path


def granian_command() -> list[str]:
    granian = shutil.which("granian", path=str(Path(sys.executable).parent)) or "granian"
    return [
        granian,
        "--interface", "wsgi",
        "--host", os.environ.get("HOST", "127.0.0.1"),
        "--port", os.environ.get("PORT", "8000"),
        "--workers", os.environ.get("WORKERS", "2"),
        "--blocking-threads", os.environ.get("THREADS", "4"),
        "--backpressure", "64",
        "--respawn-failed-workers",
        "--respawn-interval", "0.5",
        "--log-level", os.environ.get("SERVER_LOG_LEVEL", "warning"),
        "broadsheet.config.wsgi:application",
    ]  # fmt: skip


def prepare(*, demo: bool) -> None:
    manage = [sys.executable, "-m", "django"]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "broadsheet.config.settings"}
    steps = [["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]]
    if demo:
        steps.insert(1, ["seed_demo"])
    for step in steps:
        subprocess.run([*manage, *step], check=True, env=env)  # noqa: S603 - our own commands


def main(argv: list[str]) -> None:
    prepare(demo="--demo" in argv)
    if "--prepare-only" in argv:
        return
    command = granian_command()
    host, port = os.environ.get("HOST", "127.0.0.1"), os.environ.get("PORT", "8000")
    print(f"Broadsheet is running at http://{host}:{port}/  (Ctrl-C stops it)", flush=True)
    os.execv(command[0], command)  # noqa: S606 - granian takes over this process


if __name__ == "__main__":
    main(sys.argv[1:])
