"""Warn, suspend, ban, always pre-moderate and lift, from the desk, and what the reader meets."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from broadsheet.accounts.models import User
from broadsheet.core.models import AuditEntry
from broadsheet.moderation.models import Sanction
from broadsheet.moderation.pipeline import Outcome, screen
from broadsheet.moderation.sanctions import commenting_sanction
from broadsheet.stories.models import Story

from .conftest import signed_in

pytestmark = pytest.mark.django_db


def act(client: Client, reader: User, kind: str, reason: str = "Repeated abuse", **extra: str):
    return client.post(
        f"/desk/reader/{reader.pk}/sanction/", {"kind": kind, "reason": reason, **extra},
        follow=True,
    )  # fmt: skip


def test_a_warning_is_recorded_and_changes_nothing_else(
    moderator_client: Client, reader: User, story: Story
) -> None:
    page = act(moderator_client, reader, "warning").content.decode()
    assert "Warning recorded" in page
    assert commenting_sanction(reader) is None
    assert screen(author=reader, story=story, text="Hello").outcome == Outcome.PUBLISH
    entry = AuditEntry.objects.get(action="moderation:sanction:warning")
    assert entry.reason == "Repeated abuse"
    assert entry.details["reader"] == reader.pk


def test_a_suspension_lasts_the_chosen_time(
    moderator_client: Client, moderator: User, reader: User, story: Story
) -> None:
    act(moderator_client, reader, "suspension", duration="3d")
    sanction = commenting_sanction(reader)
    assert sanction is not None
    assert sanction.kind == Sanction.Kind.SUSPENSION
    assert sanction.issued_by == moderator
    assert sanction.ends_at is not None
    expected = timezone.now() + timedelta(days=3)
    assert abs((sanction.ends_at - expected).total_seconds()) < 60
    result = screen(author=reader, story=story, text="Hello")
    assert result.outcome == Outcome.REFUSE
    assert "until" in result.message


def test_a_suspension_without_a_length_is_refused(moderator_client: Client, reader: User) -> None:
    page = act(moderator_client, reader, "suspension", duration="").content.decode()
    assert "Say how long the suspension lasts" in page
    assert not Sanction.objects.exists()


def test_a_ban_stops_commenting_and_cannot_be_doubled(
    moderator_client: Client, second_moderator: User, reader: User, story: Story
) -> None:
    act(moderator_client, reader, "ban")
    assert commenting_sanction(reader) is not None
    assert screen(author=reader, story=story, text="Hi").outcome == Outcome.REFUSE
    page = act(signed_in(second_moderator), reader, "ban").content.decode()
    assert "Desk Moderator already put this reader under a Ban" in page
    assert Sanction.objects.filter(kind="ban").count() == 1


def test_always_premoderated_holds_every_comment(
    moderator_client: Client, reader: User, story: Story
) -> None:
    act(moderator_client, reader, "premoderation")
    result = screen(author=reader, story=story, text="A civil note.")
    assert result.outcome == Outcome.HOLD
    assert result.reasons == ["author pre-moderated"]


def test_lifting_ends_it_once(
    moderator_client: Client, second_moderator: User, reader: User, story: Story
) -> None:
    act(moderator_client, reader, "ban")
    ban = Sanction.objects.get()
    page = moderator_client.post(
        f"/desk/sanction/{ban.pk}/lift/", {"reason": "Appeal accepted"}, follow=True
    ).content.decode()
    assert "Ban lifted" in page
    assert commenting_sanction(reader) is None
    assert screen(author=reader, story=story, text="Hi").outcome == Outcome.PUBLISH
    again = signed_in(second_moderator).post(f"/desk/sanction/{ban.pk}/lift/", follow=True)
    assert "Desk Moderator already lifted this Ban" in again.content.decode()
    assert AuditEntry.objects.filter(action="moderation:sanction:lifted").count() == 1
    assert AuditEntry.objects.get(action="moderation:sanction:lifted").reason == "Appeal accepted"


def test_staff_and_oneself_are_not_sanctioned_from_the_desk(
    moderator_client: Client, moderator: User, editor: User
) -> None:
    assert "cannot sanction your own" in act(moderator_client, moderator, "ban").content.decode()
    assert "Moderators and editors are not" in act(moderator_client, editor, "ban").content.decode()
    assert not Sanction.objects.exists()


def test_editors_moderate_comments_but_do_not_sanction(editor: User, reader: User) -> None:
    page = act(signed_in(editor), reader, "ban").content.decode()
    assert "Only moderators may warn, suspend or ban" in page
    assert not Sanction.objects.exists()


def test_a_reason_is_required(moderator_client: Client, reader: User) -> None:
    page = act(moderator_client, reader, "ban", reason="").content.decode()
    assert "Reason:" in page
    assert not Sanction.objects.exists()


def test_the_reader_page_shows_sanctions_and_the_decisions(
    moderator_client: Client, reader: User
) -> None:
    act(moderator_client, reader, "suspension", duration="24h", reason="Slurs in three threads")
    page = moderator_client.get(f"/desk/reader/{reader.pk}/").content.decode()
    assert "Slurs in three threads" in page
    assert "Desk Moderator</a> suspended <a" in page  # the log, in a sentence
    assert "Lift" in page
