"""Quiet hours: commenting closes site-wide at set hours and says when it reopens."""

import json
from datetime import UTC, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from broadsheet.accounts.models import User
from broadsheet.comments import quiet
from broadsheet.comments.gate import decide
from broadsheet.comments.models import Comment
from broadsheet.core.exceptions import ServiceError
from broadsheet.core.models import AuditEntry
from broadsheet.stories.models import Story
from tests.moderation.conftest import make_user

pytestmark = pytest.mark.django_db

OVERNIGHT = quiet.Hours(enabled=True, starts=time(0, 0), ends=time(6, 0))
LATE = quiet.Hours(enabled=True, starts=time(23, 0), ends=time(6, 30))


def at(text: str, zone: str = "Europe/London") -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone))


@pytest.mark.parametrize(
    ("hours", "moment", "reopens"),
    [
        (OVERNIGHT, "2026-03-10 00:00", "2026-03-10 06:00"),
        (OVERNIGHT, "2026-03-10 05:59", "2026-03-10 06:00"),
        (OVERNIGHT, "2026-03-10 06:00", None),
        (OVERNIGHT, "2026-03-10 23:59", None),
        (LATE, "2026-03-10 22:59", None),
        (LATE, "2026-03-10 23:00", "2026-03-11 06:30"),
        (LATE, "2026-03-11 03:00", "2026-03-11 06:30"),
        (LATE, "2026-03-11 06:30", None),
        (quiet.Hours(enabled=False, starts=time(0), ends=time(6)), "2026-03-10 01:00", None),
    ],
)
def test_the_hours_are_read_in_the_sites_time_zone(
    settings: Any, hours: quiet.Hours, moment: str, reopens: str | None
) -> None:
    settings.TIME_ZONE = "Europe/London"
    with timezone.override("Europe/London"):
        found = hours.closed_until(at(moment))
        assert found == (at(reopens) if reopens else None)
        # the same instant given in UTC gives the same answer
        assert hours.closed_until(at(moment).astimezone(UTC)) == found


def test_the_message_says_when_commenting_reopens(settings: Any) -> None:
    from broadsheet.comments.models import QuietHours

    QuietHours.objects.create(enabled=True, starts=time(23, 0), ends=time(6, 30))
    with timezone.override("Europe/London"):
        now = at("2026-03-10 23:30")
        reopens = quiet.current().closed_until(now)
        assert reopens is not None
        assert quiet.message(reopens, now) == (
            "Commenting is paused for quiet hours, from 23:00 to 06:30 (Europe/London time). "
            "It reopens tomorrow at 06:30."
        )
        early = at("2026-03-11 02:00")
        assert quiet.message(reopens, early).endswith("It reopens today at 06:30.")


def test_only_editors_and_admins_set_them_and_the_change_is_logged(db: Any) -> None:
    moderator = make_user("mod@example.com", "Desk Moderator", group="Moderators")
    editor = make_user("ed@example.com", "Mara Lindqvist", group="Editors")
    with pytest.raises(ServiceError) as refused:
        quiet.set_quiet_hours(moderator, enabled=True, starts=time(0), ends=time(6))
    assert refused.value.status == 403
    with pytest.raises(ServiceError):
        quiet.set_quiet_hours(editor, enabled=True, starts=time(3), ends=time(3))
    assert not quiet.current().enabled

    quiet.set_quiet_hours(editor, enabled=True, starts=time(0), ends=time(6))
    assert quiet.current() == OVERNIGHT
    entry = AuditEntry.objects.get(action="comments:quiet_hours:changed")
    assert entry.actor == editor
    assert entry.details["after"] == {"enabled": True, "starts": "00:00", "ends": "06:00"}


def test_the_desk_page_lets_editors_edit_and_moderators_read(db: Any) -> None:
    moderator = make_user("mod@example.com", "Desk Moderator", group="Moderators")
    editor = make_user("ed@example.com", "Mara Lindqvist", group="Editors")
    mod_client, ed_client = Client(), Client()
    mod_client.force_login(moderator)
    ed_client.force_login(editor)

    page = mod_client.get("/desk/quiet-hours/").content.decode()
    assert "Quiet hours are off" in page
    assert "Editors and administrators set the quiet hours." in page
    assert 'name="starts"' not in page
    posted = {"enabled": "on", "starts": "00:00", "ends": "06:00"}
    assert mod_client.post("/desk/quiet-hours/", posted).status_code == 403
    assert not quiet.current().enabled

    bad = ed_client.post("/desk/quiet-hours/", {"enabled": "on", "starts": "25:00", "ends": ""})
    assert bad.status_code == 400
    assert "Enter a valid time." in bad.content.decode()
    assert not quiet.current().enabled

    saved = ed_client.post("/desk/quiet-hours/", posted, follow=True).content.decode()
    assert "Quiet hours saved." in saved
    assert "it closes every day from 00:00 to 06:00" in saved or "Commenting is closed now" in saved
    assert quiet.current() == OVERNIGHT


def test_every_entry_point_obeys_them(demo: dict[str, Any]) -> None:
    """The form, the API and the embed all ask the one gate."""
    from broadsheet.comments.models import QuietHours

    now = timezone.localtime()
    QuietHours.objects.create(
        enabled=True,
        starts=(now - timezone.timedelta(hours=1)).time(),
        ends=(now + timezone.timedelta(hours=1)).time(),
    )
    quiet.changed()
    member: User = demo["users"]["member@example.com"]
    story: Story = demo["stories"]["city-council-approves-night-bus-network"]
    assert decide(member, story).reason == "quiet_hours"
    client = Client()
    client.force_login(member)

    page = client.get(story.get_absolute_url()).content.decode()
    assert 'data-gate="quiet_hours"' in page
    form = client.post(f"/comments/story/{story.pk}/", {"text": "Late night", "token": "q1"})
    assert form.status_code == 403
    assert "It reopens " in form.content.decode()
    api = client.post(
        f"/api/comments/stories/{story.slug}/comments",
        json.dumps({"text": "Late night"}),
        content_type="application/json",
    )
    assert (api.status_code, api.json()["code"]) == (403, "quiet_hours")
    assert not Comment.objects.filter(body="Late night").exists()
