"""The Profile section: choosing a display name, through the page a reader uses."""

from datetime import timedelta
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from broadsheet.accounts import services
from broadsheet.accounts.models import DisplayNameHistory, User
from broadsheet.accounts.queries import display_name_history
from broadsheet.core.exceptions import ServiceError
from broadsheet.core.models import AuditEntry
from tests.accounts.conftest import BACKEND, MakeReader

pytestmark = pytest.mark.django_db
STORY = "/story/harbour-lights/"


def save(client: Client, name: str, bio: str = "", next_url: str = "") -> Any:
    return client.post("/accounts/profile/", {"display_name": name, "bio": bio, "next": next_url})


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user, backend=BACKEND)
    return client


def page_text(response: Any) -> str:
    return response.content.decode()


def test_the_profile_needs_a_signed_in_reader(client: Client) -> None:
    response = client.get("/accounts/profile/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/?next=/accounts/profile/")


def test_the_form_shows_the_rules_and_the_anchor_the_gate_links_to(reader_client: Client) -> None:
    response = reader_client.get(f"/accounts/profile/?next={STORY}")
    html = page_text(response)
    assert 'id="display-name"' in html
    assert "3 to 30 characters" in html
    assert "can be changed once every 30 days" in html
    assert f'value="{STORY}"' in html
    assert "we take you back to the page you came from" in html


def test_a_new_name_is_saved_and_the_reader_returns_to_the_story(
    reader_client: Client, reader: User
) -> None:
    response = save(reader_client, "Harbour Lights", bio="Reads the shipping news.", next_url=STORY)
    assert response.status_code == 302
    assert response["Location"] == STORY
    reader.refresh_from_db()
    assert reader.display_name == "Harbour Lights"
    assert reader.bio == "Reads the shipping news."
    assert reader.display_name_changed_at is not None
    assert AuditEntry.objects.filter(action="accounts:display_name:changed").count() == 1


@pytest.mark.parametrize(
    "unsafe", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", "story/x"]
)
def test_next_must_be_a_path_on_this_site(reader_client: Client, unsafe: str) -> None:
    response = save(reader_client, "Harbour Lights", next_url=unsafe)
    assert response["Location"] == "/accounts/profile/"
    assert unsafe not in page_text(reader_client.get(f"/accounts/profile/?next={unsafe}"))


def test_a_taken_name_and_its_look_alikes_are_refused_and_nothing_is_saved(
    make_reader: MakeReader,
) -> None:
    owner = make_reader("owner@example.com")
    services.set_display_name(owner, "Harbour Watcher")
    other = make_reader("other@example.com")
    client = client_for(other)
    for attempt in ["Harbour Watcher", "harbour watcher", "Hаrbour_Watcher", "HARB0UR WATCHER"]:  # noqa: RUF001
        response = save(client, attempt, bio="A new bio")
        assert response.status_code == 400
        assert "That name is taken, or looks too much like one that is" in page_text(response)
    other.refresh_from_db()
    assert other.display_name is None
    assert other.bio == ""


def test_a_rule_broken_shows_its_message_in_the_form(reader_client: Client) -> None:
    response = save(reader_client, "Anna  Smith", next_url=STORY)
    assert response.status_code == 400
    html = page_text(response)
    assert "Use single spaces between words." in html
    assert f'value="{STORY}"' in html  # the way back survives the error


def test_a_name_can_change_once_per_interval(reader: User, reader_client: Client) -> None:
    save(reader_client, "First Light")
    response = save(reader_client, "Second Light")
    assert response.status_code == 400
    assert "You can change your display name once every 30 days" in page_text(response)
    User.objects.filter(pk=reader.pk).update(
        display_name_changed_at=timezone.now() - timedelta(days=31)
    )
    assert save(reader_client, "Second Light").status_code == 302
    reader.refresh_from_db()
    assert reader.display_name == "Second Light"


def test_the_interval_is_configurable(reader: User, settings: Any) -> None:
    settings.ACCOUNTS_DISPLAY_NAME_CHANGE_DAYS = 0
    services.set_display_name(reader, "First Light")
    services.set_display_name(reader, "Second Light")
    assert reader.display_name == "Second Light"


def test_the_bio_can_change_without_touching_the_name(reader: User, reader_client: Client) -> None:
    save(reader_client, "First Light")
    assert save(reader_client, "First Light", bio="Now with a bio").status_code == 302
    reader.refresh_from_db()
    assert reader.bio == "Now with a bio"


def test_a_name_cannot_be_removed(reader: User, reader_client: Client) -> None:
    save(reader_client, "First Light")
    response = save(reader_client, "")
    assert response.status_code == 400
    assert "can be changed but not removed" in page_text(response)


def test_a_long_bio_is_refused_with_its_length(reader_client: Client) -> None:
    response = save(reader_client, "First Light", bio="x" * 501)
    assert response.status_code == 400
    assert "Keep your bio to 500 characters (it has 501)" in page_text(response)


def test_a_released_name_is_held_for_its_owner(make_reader: MakeReader) -> None:
    start = timezone.now() - timedelta(days=200)
    former = make_reader("former@example.com")
    services.set_display_name(former, "Night Owl", now=start)
    released = start + timedelta(days=40)
    services.set_display_name(former, "Day Owl", now=released)

    newcomer = make_reader("newcomer@example.com")
    with pytest.raises(ServiceError) as refused:
        services.set_display_name(newcomer, "night owl", now=released + timedelta(days=89))
    assert refused.value.code == "held"
    assert "kept for them until" in refused.value.message

    # Its owner may take it back; after 90 days anyone may.
    services.set_display_name(former, "Night Owl", now=released + timedelta(days=80))
    assert former.display_name == "Night Owl"
    services.set_display_name(former, "Dawn Owl", now=released + timedelta(days=120))
    services.set_display_name(newcomer, "Night Owl", now=released + timedelta(days=300))
    assert newcomer.display_name == "Night Owl"


def test_the_history_lists_every_name_newest_first(reader: User) -> None:
    start = timezone.now() - timedelta(days=100)
    services.set_display_name(reader, "Night Owl", now=start)
    services.set_display_name(reader, "Day Owl", now=start + timedelta(days=31))
    history = display_name_history(reader)
    assert [entry["name"] for entry in history] == ["Day Owl", "Night Owl"]
    assert history[0]["until"] is None
    assert history[1]["until"] == history[0]["from"] == start + timedelta(days=31)


def test_the_database_refuses_two_readers_with_one_key(make_reader: MakeReader) -> None:
    first = make_reader("first@example.com")
    second = make_reader("second@example.com")
    services.set_display_name(first, "Harbour Watcher")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=second.pk).update(display_name_key=first.display_name_key)
    with pytest.raises(IntegrityError), transaction.atomic():
        DisplayNameHistory.objects.create(
            user=first, name="Another", key="another", started_at=timezone.now()
        )


def test_staff_see_a_readers_names_in_the_admin(reader: User, make_reader: MakeReader) -> None:
    start = timezone.now() - timedelta(days=100)
    services.set_display_name(reader, "Night Owl", now=start)
    services.set_display_name(reader, "Day Owl", now=start + timedelta(days=31))
    admin = User.objects.create_superuser("boss@example.com", "x")
    client = client_for(admin)
    html = page_text(client.get(f"/admin/accounts/user/{reader.pk}/change/"))
    assert "Night Owl" in html
    assert "Day Owl" in html


def test_the_name_is_checked_as_the_reader_types(make_reader: MakeReader) -> None:
    services.set_display_name(make_reader("owner@example.com"), "Harbour Watcher")
    me = make_reader("me@example.com")
    client = client_for(me)

    def check(name: str) -> str:
        response = client.get("/accounts/profile/check-name/", {"display_name": name})
        assert response.status_code == 200
        return page_text(response)

    assert "That name is taken" in check("harbour watcher")
    assert "Use single spaces between words." in check("Tide  Water")
    assert "“Tide Water” is free and follows the rules." in check("Tide Water")
    assert "<html" not in check("Tide Water")  # a fragment, not a page
    assert check("").strip() == ""
    services.set_display_name(me, "Tide Water")
    assert "This is your display name now." in check("Tide Water")
    assert "once every 30 days" in check("Other Name")
    me.refresh_from_db()
    assert me.display_name == "Tide Water"  # checking never changes anything
