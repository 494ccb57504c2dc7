"""The cookies a production server sends, read from its real HTTP responses.

The site runs as the README runs it in production (granian, BROADSHEET_ENV=production)
behind a TLS proxy that says so in X-Forwarded-Proto; the test signs in over HTTP and
reads the Set-Cookie headers on the wire.
"""

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
EMAIL = "reader@example.com"
PASSWORD = "Marmalade-Skies-42"
HTTPS = {"X-Forwarded-Proto": "https"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def production_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    var = tmp_path_factory.mktemp("production")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "PYTEST_", "DEBUG"))
    }
    env.update(
        BROADSHEET_ENV="production",
        DJANGO_SETTINGS_MODULE="broadsheet.config.settings",
        SECRET_KEY="production-test-" + "k" * 50,
        ALLOWED_HOSTS="127.0.0.1",
        EMAIL_URL="console://",
        BROADSHEET_VAR_DIR=str(var),
        DATABASE_URL=f"sqlite:///{var / 'site.sqlite3'}",
        PYTHONPATH=str(ROOT / "src"),
    )
    python = [sys.executable, "manage.py"]
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        subprocess.run([*python, *command, "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [*python, "shell", "-c",
         "from broadsheet.accounts.models import User; "
         f"User.objects.create_user({EMAIL!r}, {PASSWORD!r})"],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip
    port = free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "granian"), "--interface", "wsgi",
         "--host", "127.0.0.1", "--port", str(port), "--workers", "1",
         "--log-level", "warning", "broadsheet.config.wsgi:application"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(url + "/healthz", headers=HTTPS, timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the production server did not start")
            time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)


def set_cookie(response: httpx.Response, name: str) -> str:
    return next(h for h in response.headers.get_list("set-cookie") if h.startswith(f"{name}="))


def cookie_value(response: httpx.Response, name: str) -> str:
    return set_cookie(response, name).split(";")[0].split("=", 1)[1]


def cookie_attributes(response: httpx.Response, name: str) -> set[str]:
    """The attributes of cookie `name` as sent in the Set-Cookie header, lower-cased."""
    header = next(h for h in response.headers.get_list("set-cookie") if h.startswith(f"{name}="))
    return {part.strip().lower() for part in header.split(";")[1:]}


def test_session_and_csrf_cookies_are_secure_http_only_and_same_site(production_site: str) -> None:
    # The cookie goes back by hand: a cookie jar rightly keeps a Secure cookie off this
    # plain-HTTP hop between the TLS proxy and the app.
    with httpx.Client(base_url=production_site, headers=HTTPS) as browser:
        form = browser.get("/accounts/sign-in/")
        assert form.status_code == 200
        csrf = cookie_attributes(form, "csrftoken")
        assert {"secure", "samesite=lax"} <= csrf
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
        assert token

        signed_in = browser.post(
            "/accounts/sign-in/",
            data={"username": EMAIL, "password": PASSWORD,
                  "csrfmiddlewaretoken": token.group(1)},
            headers={
                "Origin": f"https://{httpx.URL(production_site).netloc.decode()}",
                "Cookie": f"csrftoken={cookie_value(form, 'csrftoken')}",
            },
        )  # fmt: skip

    assert signed_in.status_code == 302, signed_in.text[:500]
    session = cookie_attributes(signed_in, "sessionid")
    assert {"httponly", "secure", "samesite=lax"} <= session
    assert "max-age=31536000" in signed_in.headers["strict-transport-security"].lower()


def test_plain_http_is_sent_to_https(production_site: str) -> None:
    response = httpx.get(production_site + "/accounts/sign-in/")
    assert response.status_code == 301
    assert response.headers["location"].startswith("https://")
