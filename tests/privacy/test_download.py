"""Download my data: every kind of record, nothing of other readers, a link only for its reader."""

import json
from datetime import timedelta
from typing import Any

from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from broadsheet.privacy.models import DataExport
from tests.privacy.conftest import (
    LEAVER_EMAIL,
    LEAVER_NAME,
    LEAVER_REAL_NAME,
    OTHER_EMAIL,
    OTHER_REAL_NAME,
    World,
    client_of,
    link_in,
)


def ask_for_file(client: Client, capture: Any) -> Any:
    with capture(execute=True):
        response = client.post("/accounts/data/download/", follow=True)
    assert "We are preparing your file" in response.content.decode()
    return response


def fetch(client: Client, path: str) -> Any:
    response = client.get(path)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    return b"".join(response.streaming_content)


def test_the_file_holds_every_kind_of_record_and_nothing_of_other_readers(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_of(world.leaver)
    ask_for_file(client, django_capture_on_commit_callbacks)

    [ready] = [m for m in mail.outbox if "ready to download" in m.subject]
    assert ready.to == [LEAVER_EMAIL]
    raw = fetch(client, link_in(ready, "/accounts/data/download/"))
    data = json.loads(raw)

    assert data["account"]["email"] == LEAVER_EMAIL
    assert data["account"]["real_name"] == LEAVER_REAL_NAME
    assert [h["name"] for h in data["display_name_history"]] == [LEAVER_NAME]
    by_text = {c["text"]: c for c in data["comments"]}
    assert by_text["Quillon thinks the night buses are late."]["status"] == "published"
    answer = by_text["Quillon answers Orsolya back."]
    assert answer["in_reply_to_comment"] == world.others_reply.pk
    rejected = by_text["Quillon goes off on a tangent."]
    assert (rejected["status"], rejected["status_reason"]) == ("rejected", "Off topic, sorry.")
    assert data["recommendations"] == [
        {"comment": world.others_comment.pk, "at": data["recommendations"][0]["at"]}
    ]
    [report] = data["reports_made"]
    assert (report["comment"], report["reason"]) == (world.others_comment.pk, "spam")
    assert report["text"] == "Quillon thinks this is an advert."
    [subscription] = data["subscriptions"]
    assert subscription["plan"] == "Digital Plus" or subscription["plan"]
    assert subscription["status"] == "active"
    assert {e["what"] for e in subscription["history"]} >= {"trial_started", "trial_converted"}
    assert [p["status"] for p in data["payments"]] == ["succeeded"]
    assert data["payments"][0]["card_last4"] == "4242"
    assert data["notification_settings"]["replies"] == "digest"
    [notice] = data["notices_sent"]
    assert (notice["comment"], notice["law"]) == (world.others_comment.pk, "Defamation Act 2013")
    assert data["decisions_about_you"] == []
    assert any(f["story"] == world.story.headline and f["following"] for f in data["follows"])
    assert [m["reader"] for m in data["muted_readers"]] == ["Orsolya Neighbour"]
    assert any(n["kind"] == "reply" for n in data["notifications"])
    assert any(e["what"] == "accounts:display_name:changed" for e in data["account_history"])
    assert data["data_requests"]["downloads"][0]["status"] == "pending"

    text = raw.decode()
    # The other reader's private details and words: not even the reply the leaver answered.
    for private in (OTHER_EMAIL, OTHER_REAL_NAME, "Orsolya replies", "Orsolya's own view"):
        assert private not in text


def test_the_link_works_only_for_its_reader(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    ask_for_file(client_of(world.leaver), django_capture_on_commit_callbacks)
    path = link_in(mail.outbox[-1], "/accounts/data/download/")

    refused = client_of(world.other).get(path)
    assert refused.status_code == 403
    assert "belongs to another account" in refused.content.decode()
    assert LEAVER_EMAIL not in refused.content.decode()

    visitor = Client().get(path)
    assert visitor.status_code == 302
    assert visitor["Location"].startswith("/accounts/sign-in/")

    tampered = client_of(world.leaver).get(path.rstrip("/") + "x/")
    assert tampered.status_code == 404


def test_an_expired_link_is_refused_and_the_file_is_cleaned_up(
    world: World, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    client = client_of(world.leaver)
    ask_for_file(client, django_capture_on_commit_callbacks)
    path = link_in(mail.outbox[-1], "/accounts/data/download/")
    export = DataExport.objects.get(reader=world.leaver)
    stored = settings.DATA_EXPORT_DIR / export.file_name
    assert stored.is_file()

    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    expired = client.get(path)
    assert expired.status_code == 410
    assert "has expired" in expired.content.decode()
    page = client.get("/accounts/data/").content.decode()
    assert "Download the file" not in page
    assert "Prepare my file" in page

    call_command("erase_accounts")
    assert not stored.exists()
    assert not DataExport.objects.filter(pk=export.pk).exists()


def test_a_link_older_than_its_lifetime_is_refused(
    world: World, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    client = client_of(world.leaver)
    ask_for_file(client, django_capture_on_commit_callbacks)
    path = link_in(mail.outbox[-1], "/accounts/data/download/")
    settings.DATA_EXPORT_HOURS = 0  # the signature itself is now too old

    assert client.get(path).status_code == 410


def test_a_second_request_waits_for_the_first(world: World) -> None:
    client = client_of(world.leaver)
    # The worker has not run yet (no commit callbacks): the first file is still pending.
    client.post("/accounts/data/download/")
    page = client.post("/accounts/data/download/", follow=True).content.decode()
    assert "already being prepared" in page
    assert DataExport.objects.filter(reader=world.leaver).count() == 1
    assert "We are preparing your file (asked for on" in page


def test_a_new_file_replaces_the_old_one(
    world: World, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    client = client_of(world.leaver)
    ask_for_file(client, django_capture_on_commit_callbacks)
    first_path = link_in(mail.outbox[-1], "/accounts/data/download/")
    first_file = settings.DATA_EXPORT_DIR / DataExport.objects.get().file_name

    ask_for_file(client, django_capture_on_commit_callbacks)
    assert not first_file.exists()
    assert client.get(first_path).status_code == 410
    page = client.get("/accounts/data/").content.decode()
    assert "Download the file" in page
    fetch(client, link_in(mail.outbox[-1], "/accounts/data/download/"))
