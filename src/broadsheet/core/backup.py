"""Backups of the site's database, and restoring one: `manage.py backup` and `restore`.

SQLite is copied with its online backup API (consistent while the site keeps writing);
PostgreSQL with pg_dump's custom format (one consistent snapshot) and pg_restore. A backup
is written under a temporary name and renamed when complete, so a file named like a backup
is always a whole one; `keep` deletes all but the newest.
"""

import os
import re
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from broadsheet.core.exceptions import ServiceError

NAME = re.compile(r"^broadsheet-\d{8}-\d{6}-\d{6}\.(sqlite3|pgdump)$")
SQLITE_MAGIC, PG_MAGIC = b"SQLite format 3\x00", b"PGDMP"


class BackupError(ServiceError):
    def __init__(self, message: str) -> None:
        super().__init__(message, code="backup_failed", status=500)


def _engine(database: dict[str, Any]) -> str:
    engine = str(database["ENGINE"])
    if engine.endswith("sqlite3"):
        return "sqlite"
    if engine.endswith("postgresql"):
        return "postgresql"
    raise BackupError(
        _("Backups support SQLite and PostgreSQL, not %(engine)s.") % {"engine": engine}
    )


def _pg_environment(database: dict[str, Any]) -> dict[str, str]:
    env = {**os.environ, "PGDATABASE": str(database["NAME"])}
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"),
                          ("PASSWORD", "PGPASSWORD")):  # fmt: skip
        if database.get(key):
            env[variable] = str(database[key])
    return env


def _run(command: list[str], database: dict[str, Any]) -> None:
    try:
        done = subprocess.run(  # noqa: S603 - PostgreSQL's own tools, arguments from settings
            command, env=_pg_environment(database), capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        raise BackupError(
            _("%(tool)s is not installed: apt-get install postgresql-client") % {"tool": command[0]}
        ) from None
    if done.returncode != 0:
        raise BackupError(
            _("%(tool)s failed: %(error)s") % {"tool": command[0], "error": done.stderr.strip()}
        )


def backup(database: dict[str, Any], into: Path, *, keep: int = 0) -> Path:
    """Write a backup of `database` into the folder `into`; returns its path."""
    into.mkdir(parents=True, exist_ok=True)
    engine = _engine(database)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
    target = into / f"broadsheet-{stamp}.{'sqlite3' if engine == 'sqlite' else 'pgdump'}"
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        if engine == "sqlite":
            with sqlite3.connect(str(database["NAME"])) as source, sqlite3.connect(partial) as copy:
                source.backup(copy)
            sqlite3.connect(partial).close()
        else:
            _run(["pg_dump", "--format=custom", "--no-owner", "--no-acl", f"--file={partial}"],
                 database)  # fmt: skip
    except (sqlite3.Error, BackupError) as error:
        partial.unlink(missing_ok=True)
        if isinstance(error, BackupError):
            raise
        raise BackupError(_("The SQLite backup failed: %(error)s") % {"error": error}) from error
    partial.replace(target)
    if keep:
        prune(into, keep)
    return target


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups in `folder`; returns what was deleted."""
    backups = sorted(p for p in folder.iterdir() if NAME.match(p.name))
    old = backups[:-keep] if keep > 0 else []
    for path in old:
        path.unlink()
    return old


def restore(database: dict[str, Any], path: Path) -> None:
    """Replace everything in `database` with the backup at `path`."""
    engine = _engine(database)
    try:
        with path.open("rb") as file:
            head = file.read(16)
    except OSError as error:
        raise BackupError(
            _("Cannot read the backup %(path)s: %(error)s")
            % {"path": path, "error": error.strerror}
        ) from None
    kind = "sqlite" if head == SQLITE_MAGIC else "postgresql" if head.startswith(PG_MAGIC) else ""
    if not kind:
        raise BackupError(_("%(path)s is not a Broadsheet backup.") % {"path": path})
    if kind != engine:
        raise BackupError(
            _("%(path)s is a %(kind)s backup; this site's database is %(engine)s.")
            % {"path": path, "kind": kind, "engine": engine}
        )
    if engine == "sqlite":
        try:
            with sqlite3.connect(path) as source, sqlite3.connect(str(database["NAME"])) as target:
                source.backup(target)
        except sqlite3.Error as error:
            raise BackupError(
                _("The SQLite restore failed: %(error)s") % {"error": error}
            ) from error
        return
    _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-acl", "--single-transaction",
          "--exit-on-error", f"--dbname={database['NAME']}", str(path)], database)  # fmt: skip
