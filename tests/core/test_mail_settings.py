"""EMAIL_URL becomes the default mailer; a wrong one names the problem."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from broadsheet.config.mail import mailer_from_url


def test_smtp_url_with_tls_and_credentials() -> None:
    mailer = mailer_from_url("smtp://news%40example.com:p%40ss@smtp.example.com:587/?tls=true")
    assert mailer["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert mailer["OPTIONS"] == {
        "host": "smtp.example.com",
        "port": 587,
        "username": "news@example.com",
        "password": "p@ss",
        "use_tls": True,
        "use_ssl": False,
        "timeout": 10,
    }


def test_smtps_means_implicit_tls() -> None:
    assert mailer_from_url("smtps://mail.example.com")["OPTIONS"]["use_ssl"] is True


def test_console_and_file_urls() -> None:
    assert mailer_from_url("console://")["BACKEND"].endswith("console.EmailBackend")
    assert mailer_from_url("file:///srv/broadsheet/mail")["OPTIONS"] == {
        "file_path": "/srv/broadsheet/mail"
    }


@pytest.mark.parametrize(
    ("url", "message"),
    [("smtp://", "needs a host name"), ("http://mail.example.com", "must start with smtp://")],
)
def test_a_wrong_email_url_says_what_is_wrong(url: str, message: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=message):
        mailer_from_url(url)
