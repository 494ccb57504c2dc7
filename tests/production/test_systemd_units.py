"""deploy/systemd: the units parse as systemd reads them, and each runs a real command."""

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.servers import ROOT

UNITS = ROOT / "deploy" / "systemd"
ENV_FILE = UNITS / "broadsheet.env"


def _here(text: str) -> str:
    """The unit as it would be on this machine: the checkout in place of /srv/broadsheet."""
    return (
        text.replace("/srv/broadsheet/.venv/bin/python", sys.executable)
        .replace("/srv/broadsheet", str(ROOT))
        .replace("/etc/broadsheet/broadsheet.env", str(ENV_FILE))
    )


def test_the_units_pass_systemd_analyze_verify(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("needs systemd-analyze: apt-get install -y systemd")
    units = sorted(UNITS.glob("*.service")) + sorted(UNITS.glob("*.timer"))
    assert len(units) == 6
    for unit in units:
        (tmp_path / unit.name).write_text(_here(unit.read_text()))
    done = subprocess.run(
        [analyze, "verify", "--man=no", *sorted(str(p) for p in tmp_path.iterdir())],
        capture_output=True, text=True, check=False, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == "", done.stderr


@pytest.mark.parametrize("unit", sorted(p.name for p in UNITS.glob("*.service")))
def test_each_service_runs_a_command_that_exists_with_the_options_it_gives(unit: str) -> None:
    exec_start = re.search(r"^ExecStart=(.+)$", (UNITS / unit).read_text(), re.MULTILINE)
    assert exec_start, f"{unit} has no ExecStart"
    program, *arguments = shlex.split(_here(exec_start.group(1)))
    assert program == sys.executable
    if arguments[:2] == ["-m", "broadsheet.config.serve"]:
        import broadsheet.config.serve as serve

        assert set(arguments[2:]) <= {"--demo", "--no-prepare", "--prepare-only"}
        assert Path(serve.pages_command()[0]).exists(), "granian is not installed"
        return
    assert arguments[0] == "manage.py"
    command, options = arguments[1], [a for a in arguments[2:] if a.startswith("--")]
    shown = subprocess.run(
        [program, "manage.py", command, "--help"], cwd=ROOT, capture_output=True, text=True,
        check=False,
    )  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    for option in options:
        assert option in shown.stdout, f"{command} has no {option}"


def test_the_example_settings_file_is_refused_until_its_secrets_are_changed(
    tmp_path: Path,
) -> None:
    # Read as a shell reads it (the README sources it before running manage.py).
    shown = subprocess.run(
        ["bash", "-c", f"set -a; . {shlex.quote(str(ENV_FILE))}; set +a; env -0"],
        capture_output=True, text=True, check=True, env={"PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    values = dict(item.split("=", 1) for item in shown.stdout.split("\0") if "=" in item)
    assert values["BROADSHEET_ENV"] == "production"
    assert values["DEFAULT_FROM_EMAIL"] == "Broadsheet <news@example.com>"
    env = {
        "PATH": "/usr/bin:/bin",
        **values,
        "BROADSHEET_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
        "REDIS_URL": "",
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "check_production"], cwd=ROOT, env=env,
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert done.returncode == 1
    assert "[secret key] SECRET_KEY is an example value" in done.stdout
    assert "migrations are not applied" in done.stdout
