"""The site's language: the reader's choice first, then the browser's, then LANGUAGE_CODE."""

import re

import pytest
from django.conf import settings
from django.test import Client

from broadsheet.accounts.models import User
from tests.accounts.conftest import BACKEND

pytestmark = pytest.mark.django_db
COOKIE = settings.LANGUAGE_COOKIE_NAME


def page_language(response: object) -> str:
    html = response.content.decode()  # type: ignore[attr-defined]
    found = re.search(r'<html lang="([^"]+)"', html)
    assert found, html[:200]
    return found.group(1)


def test_without_a_choice_the_site_speaks_its_language_code() -> None:
    response = Client().get("/plans/")
    assert page_language(response) == settings.LANGUAGE_CODE == "en"
    assert response["Content-Language"] == "en"


def test_the_browser_asks_for_japanese_and_gets_it() -> None:
    response = Client().get("/plans/", headers={"accept-language": "ja-JP,ja;q=0.9,en;q=0.5"})
    assert page_language(response) == "ja"
    assert response["Content-Language"] == "ja"
    assert "Accept-Language" in response["Vary"]


def test_japanese_pages_are_in_japanese() -> None:
    html = Client().get("/plans/", headers={"accept-language": "ja"}).content.decode()
    assert "<h1>プランを選ぶ</h1>" in html or "プランを選ぶ" in html
    assert "本文へ移動" in html  # the skip link
    assert "Choose your plan" not in html


def test_a_refusal_from_a_service_is_in_the_readers_language(reader: User) -> None:
    client = Client()
    client.force_login(reader, backend=BACKEND)
    response = client.post(
        "/accounts/profile/",
        {"display_name": "a@b.example", "bio": ""},
        headers={"accept-language": "ja"},
    )
    assert response.status_code == 400
    assert "表示名にメールアドレスを含めないでください。" in response.content.decode()


def test_the_api_answers_errors_in_the_readers_language() -> None:
    response = Client().get("/api/stories/no-such-story", headers={"accept-language": "ja"})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert response.json()["detail"] == "そのオブジェクトはありません。"


def test_a_language_we_do_not_ship_falls_back_to_english() -> None:
    response = Client().get("/plans/", headers={"accept-language": "de-DE,de;q=0.9"})
    assert page_language(response) == "en"


def test_every_page_offers_the_picker_in_its_footer() -> None:
    html = Client().get("/plans/").content.decode()
    footer = html[html.index('<footer class="footer"') :]
    assert 'action="/accounts/language/"' in footer
    assert '<option value="ja" lang="ja">日本語</option>' in footer
    assert '<option value="en" lang="en" selected>English</option>' in footer


def test_the_picker_sets_the_cookie_and_returns_to_the_page() -> None:
    client = Client()
    response = client.post("/accounts/language/", {"language": "ja", "next": "/plans/"})
    assert response.status_code == 302
    assert response["Location"] == "/plans/"
    assert response.cookies[COOKIE].value == "ja"
    # The choice beats what the browser asks for.
    again = client.get("/plans/", headers={"accept-language": "en"})
    assert page_language(again) == "ja"


def test_the_picker_keeps_the_choice_on_the_readers_account(reader: User) -> None:
    client = Client()
    client.force_login(reader, backend=BACKEND)
    client.post("/accounts/language/", {"language": "ja", "next": "/accounts/profile/"})
    reader.refresh_from_db()
    assert reader.language == "ja"
    # Another browser, signed in, with no cookie of its own: the account's choice applies.
    elsewhere = Client()
    elsewhere.force_login(reader, backend=BACKEND)
    assert page_language(elsewhere.get("/accounts/profile/")) == "ja"
    # That browser's own choice wins there (and becomes the account's).
    elsewhere.post("/accounts/language/", {"language": "en", "next": "/"})
    assert page_language(elsewhere.get("/accounts/profile/")) == "en"
    reader.refresh_from_db()
    assert reader.language == "en"


def test_an_unknown_language_is_refused_and_changes_nothing(reader: User) -> None:
    client = Client()
    client.force_login(reader, backend=BACKEND)
    response = client.post("/accounts/language/", {"language": "xx", "next": "/"})
    assert response.status_code == 400
    assert "Choose one of the languages offered." in response.content.decode()
    assert COOKIE not in response.cookies
    reader.refresh_from_db()
    assert reader.language == ""


def test_the_picker_does_not_send_readers_to_other_sites() -> None:
    response = Client().post(
        "/accounts/language/", {"language": "ja", "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_the_picker_only_takes_a_form() -> None:
    assert Client().get("/accounts/language/?language=ja").status_code == 405


def test_the_scripts_texts_come_per_language_and_may_be_cached() -> None:
    response = Client().get("/jsi18n/ja.js")
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    assert "django.gettext" in response.content.decode()
    assert Client().get("/jsi18n/xx.js").status_code == 404


def test_a_visitor_chooses_from_the_cached_page_which_carries_no_csrf_token(
    demo: object,
) -> None:
    """The visitors' page is the same for all, so its picker has no token; the choice only
    sets this browser's cookie. A signed-in reader's choice (it changes their account)
    still needs their token."""
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get("/").content.decode()
    assert "csrfmiddlewaretoken" not in page
    response = visitor.post("/accounts/language/", {"language": "ja", "next": "/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ja"

    reader = Client(enforce_csrf_checks=True)
    member = User.objects.get(email="member@example.com")
    reader.force_login(member)
    forged = reader.post("/accounts/language/", {"language": "ja", "next": "/"})
    assert forged.status_code == 403
    member.refresh_from_db()
    assert member.language != "ja"
