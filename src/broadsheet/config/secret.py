"""The development secret key: generated once and kept under var/."""

from pathlib import Path

from django.core.management.utils import get_random_secret_key


def development_secret_key(var_dir: Path) -> str:
    path = var_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    key = get_random_secret_key()
    path.write_text(key)
    path.chmod(0o600)
    return key
