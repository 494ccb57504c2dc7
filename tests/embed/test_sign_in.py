"""Single sign-on: a newsroom's token becomes one reader, with its plan, or a clear refusal."""

from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from django.test import Client
from django.utils import timezone

from broadsheet.accounts.models import User
from broadsheet.comments.gate import DISPLAY_NAME_MESSAGE
from broadsheet.comments.models import Comment
from broadsheet.embed import services
from broadsheet.embed.models import ReaderLink, Site
from broadsheet.stories.models import Story
from tests.embed.conftest import Signer

pytestmark = pytest.mark.django_db


def exchange(token: str, site: str = "example") -> Any:
    return Client().post(
        "/embed/session/", {"site": site, "token": token}, content_type="application/json"
    )


def refused(token: str, code: str, site: str = "example") -> str:
    response = exchange(token, site)
    assert response.status_code in (401, 409), response.content
    body = response.json()
    assert body["code"] == code
    return str(body["detail"])


def frame(site: Site, session: str | None = None, page: str = "article-1") -> Any:
    headers = {"Authorization": f"Bearer {session}"} if session else {}
    return Client().get(
        "/embed/frame/",
        {"site": site.key, "id": page, "url": "https://news.example.com/a/1", "title": "Harbour"},
        headers=headers,
    )


def test_a_token_signs_a_new_reader_in_with_the_plan_and_name(site: Site, sign: Signer) -> None:
    response = exchange(sign())
    assert response.status_code == 200
    assert response.json()["display_name"] == "Ada Lovelace"
    page = frame(site, response.json()["session"])
    assert "Join the conversation" in page.content.decode()
    user = User.objects.get(email="ada@news.example.com")
    assert not user.has_usable_password()


def test_the_same_newsroom_user_is_always_the_same_reader(site: Site, sign: Signer) -> None:
    exchange(sign())
    exchange(sign(email="ada@new-address.example.com", name="Someone Else"))
    assert ReaderLink.objects.filter(site=site).count() == 1
    user = ReaderLink.objects.get(site=site).user
    assert user.email == "ada@new-address.example.com"
    assert user.display_name == "Ada Lovelace"  # the reader's name is theirs, once set


def test_the_plan_is_kept_in_step_and_the_gate_decides_from_it(site: Site, sign: Signer) -> None:
    session = exchange(sign(plan="digital")).json()["session"]
    assert (
        "Your current plan, Digital, does not include commenting."
        in frame(site, session).content.decode()
    )
    session = exchange(sign(plan="digital-plus")).json()["session"]
    assert "Join the conversation" in frame(site, session).content.decode()
    session = exchange(sign(plan="none")).json()["session"]
    assert "does not include commenting" in frame(site, session).content.decode()


def test_a_name_that_breaks_our_rules_is_not_taken(site: Site, sign: Signer) -> None:
    session = exchange(sign(name="visit www.spam.com")).json()["session"]
    assert User.objects.get(email="ada@news.example.com").display_name is None
    page = frame(site, session).content.decode()
    assert DISPLAY_NAME_MESSAGE.split(", please")[0] in page
    assert 'data-gate="display_name_required"' in page
    # The reader creates one inside the frame, with the same rules as the Profile section.
    client = Client()
    headers = {"Authorization": f"Bearer {session}"}
    bad = client.post("/embed/display-name/", {"display_name": "x"}, headers=headers)
    assert "Use at least 3 characters." in bad.content.decode()
    good = client.post("/embed/display-name/", {"display_name": "Ada L"}, headers=headers)
    assert good.status_code == 204
    assert "Join the conversation" in frame(site, session).content.decode()


def test_a_reader_signed_in_by_token_posts_without_cookies_or_csrf(
    site: Site, sign: Signer
) -> None:
    session = exchange(sign()).json()["session"]
    story = services.page_story(site, "article-1", url="https://news.example.com/a/1", title="T")
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        f"/comments/story/{story.pk}/",
        {"text": "From the newsroom's page."},
        headers={"Authorization": f"Bearer {session}", "HX-Request": "true"},
    )
    assert response.status_code == 200
    comment = Comment.objects.get(story=story)
    assert comment.author.email == "ada@news.example.com"
    # Without the header the same client is a visitor, and a form post needs CSRF.
    anonymous = client.post(f"/comments/story/{story.pk}/", {"text": "again"})
    assert anonymous.status_code == 403


def test_the_session_token_does_not_open_account_pages(site: Site, sign: Signer) -> None:
    session = exchange(sign()).json()["session"]
    response = Client().get("/accounts/profile/", headers={"Authorization": f"Bearer {session}"})
    assert response.status_code == 302
    assert "/accounts/sign-in/" in response["Location"]


def test_signing_out_everywhere_ends_the_embed_session(site: Site, sign: Signer) -> None:
    from broadsheet.accounts.services import sign_out_everywhere

    session = exchange(sign()).json()["session"]
    sign_out_everywhere(User.objects.get(email="ada@news.example.com"))
    assert 'data-gate="sign_in_required"' in frame(site, session).content.decode()


# --- refusals ------------------------------------------------------------------------------


def test_expired_tokens_are_refused(sign: Signer) -> None:
    old = datetime.now(UTC) - timedelta(minutes=10)
    assert "expired" in refused(sign(now=old), "token_expired")


def test_a_token_just_past_expiry_passes_within_the_clock_skew(sign: Signer) -> None:
    now = datetime.now(UTC)
    token = sign(iat=int((now - timedelta(minutes=5)).timestamp()), exp=int(now.timestamp()) - 30)
    assert exchange(token).status_code == 200


def test_future_dated_tokens_are_refused_beyond_the_clock_skew(sign: Signer) -> None:
    ahead = datetime.now(UTC) + timedelta(minutes=5)
    assert "clock" in refused(sign(now=ahead), "token_future")
    slightly_ahead = datetime.now(UTC) + timedelta(seconds=30)
    assert exchange(sign(now=slightly_ahead)).status_code == 200


def test_a_replayed_token_is_refused(sign: Signer) -> None:
    token = sign()
    assert exchange(token).status_code == 200
    assert "used already" in refused(token, "token_replayed")


def test_a_token_signed_with_another_key_is_refused(sign: Signer) -> None:
    assert "signature" in refused(sign(key="not-the-secret-" * 3), "token_signature")


def test_a_token_for_another_site_is_refused(site: Site, sign: Signer) -> None:
    other = Site.objects.create(name="Other", key="other", allowed_origins="https://o.example")
    other_secret = services.issue_secret(other)
    # Signed by the other site, presented here.
    detail = refused(sign(key=other_secret, aud="other"), "token_wrong_site")
    assert "'other'" in detail
    # Signed with this site's key but addressed to the other one.
    refused(sign(aud="other"), "token_wrong_site")


def test_tokens_that_live_too_long_are_refused(sign: Signer) -> None:
    now = datetime.now(UTC)
    refused(sign(exp=int((now + timedelta(days=30)).timestamp())), "token_lifetime")


@pytest.mark.parametrize("claim", ["sub", "email", "plan", "jti", "exp", "iat", "aud"])
def test_a_missing_claim_is_named(sign: Signer, claim: str) -> None:
    assert claim in refused(sign(**{claim: None}), "token_claims")


def test_an_unknown_plan_code_is_refused(sign: Signer) -> None:
    assert "'gold'" in refused(sign(plan="gold"), "token_plan")


def test_other_algorithms_and_garbage_are_refused(secret: str) -> None:
    none_token = jwt.encode({"sub": "x"}, None, algorithm="none")
    assert "HS256" in refused(none_token, "token_algorithm")
    refused("not a token", "token_malformed")
    response = Client().post("/embed/session/", b"[", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_json"


def test_an_address_of_another_account_is_not_signed_in(demo: Any, sign: Signer) -> None:
    detail = refused(sign(email="member@example.com"), "token_email_taken")
    assert "another Broadsheet account" in detail


def test_rotated_secrets_work_for_the_grace_period_only(site: Site, sign: Signer) -> None:
    old_secret = site.secrets.get().secret
    services.issue_secret(site)
    assert exchange(sign(key=old_secret)).status_code == 200
    site.secrets.filter(secret=old_secret).update(expires_at=timezone.now())
    refused(sign(key=old_secret), "token_signature")


def test_unknown_pages_are_not_open_without_lazy_creation(site: Site, sign: Signer) -> None:
    Site.objects.filter(pk=site.pk).update(create_stories=False)
    site.refresh_from_db()
    response = frame(site)
    assert response.status_code == 404
    assert "Comments are not open for this page" in response.content.decode()
    assert not Story.objects.filter(external_url__startswith="https://news").exists()


def test_quiet_hours_close_the_embedded_stream_too(site: Site, sign: Signer) -> None:
    from broadsheet.comments import quiet
    from broadsheet.comments.models import QuietHours

    now = timezone.localtime()
    QuietHours.objects.create(
        enabled=True,
        starts=(now - timedelta(hours=1)).time(),
        ends=(now + timedelta(hours=1)).time(),
    )
    quiet.changed()
    session = exchange(sign()).json()["session"]
    assert "Commenting is paused for quiet hours" in frame(site, session).content.decode()
    story = services.page_story(site, "article-1", url="https://news.example.com/a/1", title="T")
    response = Client(enforce_csrf_checks=True).post(
        f"/comments/story/{story.pk}/",
        {"text": "From the newsroom's page, at night."},
        headers={"Authorization": f"Bearer {session}", "HX-Request": "true"},
    )
    assert "It reopens " in response.content.decode()
    assert not Comment.objects.filter(story=story).exists()
