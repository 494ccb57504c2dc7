"""Allowed origins are origins: scheme, host and port, written one way."""

import pytest

from broadsheet.core.exceptions import ServiceError
from broadsheet.embed.origins import normalise_origin, origin_of


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("https://News.Example.com", "https://news.example.com"),
        ("https://news.example.com/", "https://news.example.com"),
        ("https://news.example.com:443", "https://news.example.com"),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
        ("  http://localhost:3000  ", "http://localhost:3000"),
    ],
)
def test_origins_are_stored_one_way(written: str, stored: str) -> None:
    assert normalise_origin(written) == stored


@pytest.mark.parametrize(
    "written",
    [
        "news.example.com",
        "https://news.example.com/articles",
        "https://news.example.com/?q=1",
        "ftp://news.example.com",
        "https://user@news.example.com",
        "https://news.example.com:99999",
        "javascript:alert(1)",
    ],
)
def test_anything_more_or_less_than_an_origin_is_refused(written: str) -> None:
    with pytest.raises(ServiceError):
        normalise_origin(written)


def test_the_origin_of_a_page_address() -> None:
    assert origin_of("https://News.example.com/2026/a?b=1#c") == "https://news.example.com"
    assert origin_of("https://evil.example.net@news.example.com/") == "https://news.example.com"
    assert origin_of("/relative/page") is None
