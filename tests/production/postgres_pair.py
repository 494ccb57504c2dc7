"""A PostgreSQL primary and a real streaming replica of it, started by a test.

initdb makes the primary (wal_level=replica) on a free port, pg_basebackup -R copies it
into a standby that follows its WAL, and both run as child processes of the test under
their own folder. As root, PostgreSQL's tools run as the `postgres` user (it refuses root).
"""

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.servers import ServerError, free_port

TOOLS = ("initdb", "pg_ctl", "pg_basebackup", "postgres")
# Ports for PostgreSQL servers a test starts, when free (any free port otherwise).
PORTS = range(9550, 9560)


def binaries() -> Path | None:
    """The folder with PostgreSQL's server programs, or None when they are not installed."""
    found = shutil.which("pg_ctl")
    folders = [Path(found).resolve().parent] if found else []
    folders += [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)]
    for folder in folders:
        if all((folder / tool).exists() for tool in TOOLS):
            return folder
    return None


def _port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    return free_port()


class StreamingPair:
    """.primary_url and .replica_url (database `broadsheet`), .pause()/.resume() replay."""

    def __init__(self) -> None:
        folder = binaries()
        assert folder is not None, "PostgreSQL's server programs are not installed"
        self.bin = folder
        self.folder = Path(tempfile.mkdtemp(prefix="broadsheet-pg-"))
        self.as_root = os.geteuid() == 0
        self.primary_port = self.replica_port = 0

    def _run(self, *command: str | Path) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if self.as_root else []
        done = subprocess.run(
            [*prefix, *map(str, command)], capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise ServerError(f"{command[0]} failed: {done.stdout}\n{done.stderr}\n{self.log()}")

    def start(self) -> "StreamingPair":
        if self.as_root:
            shutil.chown(self.folder, "postgres", "postgres")
        primary, standby = self.folder / "primary", self.folder / "standby"
        self.primary_port = _port()
        self._run(self.bin / "initdb", "-D", primary, "-U", "postgres", "--auth=trust",
                  "-E", "UTF8", "--no-sync")  # fmt: skip
        settings = [
            f"port = {self.primary_port}",
            "listen_addresses = '127.0.0.1'",
            f"unix_socket_directories = '{self.folder}'",
            "wal_level = replica",
            "max_wal_senders = 4",
            "fsync = off",
            "synchronous_commit = off",
            "shared_buffers = 32MB",
        ]
        with (primary / "postgresql.conf").open("a") as conf:
            conf.write("\n".join(settings) + "\n")
        self._run(self.bin / "pg_ctl", "-D", primary, "-l", self.folder / "primary.log", "-w",
                  "-t", "60", "start")  # fmt: skip
        self._sql(self.primary_port, "CREATE DATABASE broadsheet")
        self._run(self.bin / "pg_basebackup", "-h", "127.0.0.1", "-p", str(self.primary_port),
                  "-U", "postgres", "-D", standby, "-R", "-X", "stream", "--no-sync")  # fmt: skip
        self.replica_port = _port()
        with (standby / "postgresql.conf").open("a") as conf:
            conf.write(f"port = {self.replica_port}\nhot_standby = on\n")
        self._run(self.bin / "pg_ctl", "-D", standby, "-l", self.folder / "standby.log", "-w",
                  "-t", "60", "start")  # fmt: skip
        assert self._sql(self.replica_port, "SELECT pg_is_in_recovery()") is True
        return self

    def _sql(self, port: int, statement: str, dbname: str = "postgres") -> Any:
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=port, user="postgres", dbname=dbname,
                             autocommit=True) as db:  # fmt: skip
            cursor = db.execute(statement)
            if not statement.startswith("SELECT"):
                return None
            row = cursor.fetchone()
            return row[0] if row else None

    @property
    def primary_url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.primary_port}/broadsheet"

    @property
    def replica_url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.replica_port}/broadsheet"

    def caught_up(self, timeout: float = 30) -> None:
        """Wait until the replica has replayed everything the primary has written."""
        target = self._sql(self.primary_port, "SELECT pg_current_wal_lsn()::text")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            lag = self._sql(
                self.replica_port, f"SELECT pg_wal_lsn_diff('{target}', pg_last_wal_replay_lsn())"
            )
            if lag is not None and lag <= 0:
                return
            time.sleep(0.1)
        raise ServerError(f"the replica did not catch up in {timeout:.0f} s\n{self.log()}")

    def pause(self) -> None:
        self._sql(self.replica_port, "SELECT pg_wal_replay_pause()")

    def resume(self) -> None:
        self._sql(self.replica_port, "SELECT pg_wal_replay_resume()")

    def stop(self) -> None:
        for name in ("standby", "primary"):
            if (self.folder / name / "postmaster.pid").exists():
                with contextlib.suppress(ServerError):
                    self._run(self.bin / "pg_ctl", "-D", self.folder / name, "-m", "immediate",
                              "-w", "stop")  # fmt: skip
        shutil.rmtree(self.folder, ignore_errors=True)

    def log(self) -> str:
        parts = []
        for name in ("primary.log", "standby.log"):
            with contextlib.suppress(OSError):
                parts.append(f"--- {name} ---\n" + (self.folder / name).read_text()[-2000:])
        return "\n".join(parts)
