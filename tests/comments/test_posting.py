"""Posting a comment: what is stored, every bad input refused, and the abuse limits."""

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from broadsheet.accounts.models import User
from broadsheet.comments import services
from broadsheet.comments.models import Comment
from broadsheet.core.exceptions import ServiceError
from broadsheet.moderation.models import Sanction
from broadsheet.moderation.pipeline import Outcome, Screening
from broadsheet.stories.models import Story

pytestmark = pytest.mark.django_db


def post(client: Client, story: Story, text: str, token: str = "", **extra: Any) -> Any:
    return client.post(f"/comments/story/{story.pk}/", {"text": text, "token": token}, **extra)


def api_post(client: Client, story: Story, text: Any, token: str = "") -> Any:
    return client.post(
        f"/api/comments/stories/{story.slug}/comments",
        json.dumps({"text": text, "token": token}),
        content_type="application/json",
    )


def test_a_comment_is_published_and_counted(
    client_for: Callable[[str], Client], story: Story, django_capture_on_commit_callbacks: Any
) -> None:
    before = Story.objects.get(pk=story.pk)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = post(client_for("member"), story, "  Night buses *at last*.  ", "tok")
    comment = Comment.objects.get(body="Night buses *at last*.")
    assert response.status_code == 302
    location = f"{story.get_absolute_url()}?thread={comment.pk}#comment-{comment.pk}"
    assert response["Location"] == location
    assert comment.status == Comment.Status.PUBLISHED
    assert comment.body_html == "<p>Night buses <em>at last</em>.</p>"
    after = Story.objects.get(pk=story.pk)
    assert after.comment_count == before.comment_count + 1
    assert after.comment_version > before.comment_version
    # comment.created, and the notifications it causes, go out only after the commit
    assert len(callbacks) == 2

    page = client_for("visitor").get(location).content.decode()
    assert "Night buses <em>at last</em>." in page
    assert f'id="comment-{comment.pk}"' in page


def test_the_api_answers_with_the_new_comment(
    client_for: Callable[[str], Client], story: Story
) -> None:
    response = api_post(client_for("member"), story, "Through the API")
    assert response.status_code == 201
    body = response.json()
    assert body["body_html"] == "<p>Through the API</p>"
    assert body["author"] == "Harbour Watcher"
    assert body["status"] == "published"
    assert Comment.objects.filter(pk=body["id"], body="Through the API").exists()


BAD_TEXTS = [
    ("empty", "", "empty"),
    ("only spaces", "     ", "empty"),
    ("only line breaks", "\n\r\n\t  \n", "empty"),
    ("too long", "x" * 5001, "too_long"),
    ("null character", "hello\x00world", "invalid"),
]


@pytest.mark.parametrize(("case", "text", "code"), BAD_TEXTS, ids=[c[0] for c in BAD_TEXTS])
def test_bad_text_is_refused_and_kept_in_the_form(
    client_for: Callable[[str], Client], story: Story, case: str, text: str, code: str
) -> None:
    client = client_for("member")
    before = Comment.objects.count()
    page = post(client, story, text)
    assert page.status_code in (400, 422)
    html = page.content.decode()
    assert 'class="errorlist composer__error"' in html
    if text.strip() and "\x00" not in text:
        assert text in html
    api = api_post(client, story, text)
    assert api.status_code in (400, 422)
    assert api.json()["code"] == code
    assert Comment.objects.count() == before


def test_the_length_limit_counts_characters_and_is_configurable(
    client_for: Callable[[str], Client], story: Story, settings: Any
) -> None:
    client = client_for("member")
    assert api_post(client, story, "é" * 5000).status_code == 201
    settings.COMMENT_MAX_LENGTH = 10
    refused = api_post(client, story, "eleven char")
    assert refused.status_code == 422
    assert refused.json()["detail"] == (
        "A comment can be at most 10 characters long; this one has 11."
    )
    assert api_post(client, story, "ten chars!").status_code == 201


def test_a_missing_or_wrongly_typed_field_is_a_422(
    client_for: Callable[[str], Client], story: Story
) -> None:
    client = client_for("member")
    for payload in ["{}", '{"text": 5}', "not json", '{"text": null}']:
        response = client.post(
            f"/api/comments/stories/{story.slug}/comments",
            payload,
            content_type="application/json",
        )
        assert response.status_code in (400, 422), payload
    assert not Comment.objects.filter(author__email="member@example.com", body="5").exists()


def test_an_unknown_story_or_comment_is_a_404(client_for: Callable[[str], Client]) -> None:
    client = client_for("member")
    assert client.post("/comments/story/999999/", {"text": "hi"}).status_code == 404
    assert client.post("/comments/999999/reply/", {"text": "hi"}).status_code == 404
    assert api_post(client, Story(slug="no-such-story"), "hi").status_code == 404
    response = client.post(
        "/api/comments/999999/replies", json.dumps({"text": "hi"}), content_type="application/json"
    )
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_draft_story_takes_no_comments(client_for: Callable[[str], Client], story: Story) -> None:
    story.status = Story.Status.DRAFT
    story.save()
    assert post(client_for("member"), story, "Early").status_code == 404
    assert api_post(client_for("member"), story, "Early").status_code == 404
    assert not Comment.objects.filter(body="Early").exists()


def test_the_same_form_sent_twice_stores_one_comment(
    client_for: Callable[[str], Client], story: Story
) -> None:
    client = client_for("member")
    first = post(client, story, "Double click", "same-token")
    second = post(client, story, "Double click", "same-token")
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Comment.objects.filter(body="Double click").count() == 1
    again = api_post(client, story, "Double click", "same-token")
    assert again.status_code == 201
    assert Comment.objects.filter(body="Double click").count() == 1


def test_the_same_text_twice_within_minutes_is_refused(
    client_for: Callable[[str], Client], story: Story
) -> None:
    client = client_for("member")
    assert post(client, story, "Same words", "a").status_code == 302
    again = post(client, story, "Same words", "b")
    assert again.status_code == 422
    assert "You posted the same text a moment ago." in again.content.decode()
    assert api_post(client, story, "Same words").json()["code"] == "duplicate"
    assert Comment.objects.filter(body="Same words").count() == 1
    # Another reader may say the same thing.
    assert post(client_for("editor"), story, "Same words", "c").status_code == 302


def test_one_comment_every_ten_seconds(
    client_for: Callable[[str], Client], story: Story, settings: Any
) -> None:
    settings.COMMENT_RATE_LIMIT_SECONDS = 10
    client = client_for("member")
    assert api_post(client, story, "first").status_code == 201
    refused = api_post(client, story, "second")
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited"
    page = post(client, story, "second", "x")
    assert page.status_code == 429
    assert "You can post one comment every 10 seconds." in page.content.decode()
    assert "second" in page.content.decode()
    assert not Comment.objects.filter(body="second").exists()
    # The limit is per reader.
    assert api_post(client_for("editor"), story, "second").status_code == 201


def test_a_refused_comment_does_not_use_up_the_rate_limit(
    client_for: Callable[[str], Client], story: Story, settings: Any
) -> None:
    settings.COMMENT_RATE_LIMIT_SECONDS = 10
    client = client_for("member")
    assert api_post(client, story, " ").status_code == 422
    assert api_post(client, story, "now it counts").status_code == 201


def test_a_burst_limit_per_hour(
    client_for: Callable[[str], Client], story: Story, settings: Any
) -> None:
    settings.COMMENT_BURST_PER_HOUR = 3
    client = client_for("member")
    for n in range(3):
        assert api_post(client, story, f"comment {n}").status_code == 201
    refused = api_post(client, story, "comment 4")
    assert refused.status_code == 429
    assert "3 comments in the last hour" in refused.json()["detail"]
    assert Comment.objects.filter(body__startswith="comment ").count() == 3


def test_a_held_comment_awaits_review_and_is_not_counted(
    client_for: Callable[[str], Client], story: Story
) -> None:
    story.comment_mode = Story.CommentMode.PREMODERATED
    story.save()
    client = client_for("member")
    response = post(client, story, "Held for the desk", "h")
    comment = Comment.objects.get(body="Held for the desk")
    assert comment.status == Comment.Status.PENDING
    assert comment.hold_reasons == ["story pre-moderated"]
    assert Story.objects.get(pk=story.pk).comment_count == story.comment_count

    shown = client.get(response["Location"]).content.decode()
    assert "awaiting review" in shown
    assert "Held for the desk" in shown
    assert f'href="/comments/{comment.pk}/edit/"' in shown  # the author may still fix it
    assert f'href="/comments/{comment.pk}/delete/"' in shown
    assert (
        "Held for the desk"
        not in client_for("editor").get(story.get_absolute_url()).content.decode()
    )
    assert api_post(client, story, "Also held").json()["status"] == "pending"


def test_a_refused_comment_stores_nothing(
    client_for: Callable[[str], Client], story: Story, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(**kwargs: Any) -> Screening:
        return Screening(Outcome.REFUSE, reasons=["banned_word"], message="Mind your language.")

    monkeypatch.setattr(services, "screen", refuse)
    client = client_for("member")
    page = post(client, story, "something rude", "r")
    assert page.status_code == 422
    assert "Mind your language." in page.content.decode()
    assert "something rude" in page.content.decode()
    api = api_post(client, story, "something rude")
    assert api.json() == {"detail": "Mind your language.", "code": "refused"}
    assert not Comment.objects.filter(body="something rude").exists()


def test_the_screening_sees_the_author_story_and_text(
    member: User, story: Story, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[dict[str, Any]] = []

    def record(**kwargs: Any) -> Screening:
        seen.append(kwargs)
        return Screening(Outcome.HOLD, reasons=["toxicity"], toxicity=0.93)

    monkeypatch.setattr(services, "screen", record)
    comment = services.post_comment(member, story, "  you are wrong  ")
    assert seen == [
        {
            "author": member,
            "story": story,
            "text": "you are wrong",
            "editing": None,
            "sanctions": [],
        }
    ]
    assert comment.status == Comment.Status.PENDING
    assert comment.toxicity == pytest.approx(0.93)
    assert comment.hold_reasons == ["toxicity"]


def _sanction(reader: User, kind: str) -> None:
    Sanction.objects.create(reader=reader, kind=kind, starts_at=timezone.now(), reason="Test")


def test_posting_reads_the_authors_sanctions_once(member: User, story: Story) -> None:
    # The gate and the moderation pipeline share one look-up.
    with CaptureQueriesContext(connection) as queries:
        services.post_comment(member, story, "A civil note on the budget.")
    assert sum("moderation_sanction" in q["sql"] for q in queries.captured_queries) == 1


def test_a_banned_reader_posting_is_refused_by_the_gate(member: User, story: Story) -> None:
    _sanction(member, Sanction.Kind.BAN)
    with pytest.raises(ServiceError) as refused:
        services.post_comment(member, story, "Let me in.")
    assert refused.value.code == "banned"
    assert not Comment.objects.filter(body="Let me in.").exists()


def test_an_always_premoderated_reader_posting_waits(member: User, story: Story) -> None:
    _sanction(member, Sanction.Kind.PREMODERATION)
    comment = services.post_comment(member, story, "A civil note on the budget.")
    assert comment.status == Comment.Status.PENDING
    assert comment.hold_reasons == ["author pre-moderated"]


def test_a_suspended_reader_editing_is_refused(member: User, story: Story) -> None:
    comment = services.post_comment(member, story, "A civil note on the budget.")
    _sanction(member, Sanction.Kind.SUSPENSION)
    with pytest.raises(ServiceError) as refused:
        services.edit_comment(member, comment.pk, "An edited note.")
    assert refused.value.code == "suspended"
    comment.refresh_from_db()
    assert comment.body == "A civil note on the budget."


def test_htmx_posting_swaps_the_stream(client_for: Callable[[str], Client], story: Story) -> None:
    client = client_for("member")
    done = post(client, story, "Posted with htmx", "hx", HTTP_HX_REQUEST="true")
    assert done.status_code == 200
    assert done["HX-Retarget"] == "#comment-stream"
    assert "Posted with htmx" in done.content.decode()
    assert "<html" not in done.content.decode()

    refused = post(client, story, "   ", "hx2", HTTP_HX_REQUEST="true")
    assert refused.status_code == 200  # htmx swaps only successful responses
    assert "HX-Retarget" not in refused
    assert refused.content.decode().lstrip().startswith("<form")
    assert "Write something before posting." in refused.content.decode()


@hypothesis_settings(max_examples=60, deadline=None)
@given(text=st.text(max_size=60))
def test_any_text_is_stored_or_refused_with_a_reason(text: str) -> None:
    blank = not text.replace("\r", "").strip()
    if blank or "\x00" in text:
        with pytest.raises(ServiceError) as refused:
            services.clean_text(text)
        assert refused.value.code == ("empty" if blank else "invalid")
        return
    cleaned = services.clean_text(text)
    assert cleaned == cleaned.strip()
    assert cleaned
    assert "\r" not in cleaned
