"""Every desk URL refuses everyone but moderators and editors."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import URLPattern, reverse
from django.utils import timezone

from broadsheet.accounts.models import User
from broadsheet.comments.models import Comment
from broadsheet.core.models import AuditEntry
from broadsheet.moderation import urls as desk_urls
from broadsheet.moderation.models import BlockedDomain, Sanction, Term

from .conftest import make_user, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def every_desk_url(
    make_comment: Callable[..., Comment], reader: User, moderator: User
) -> list[str]:
    comment = make_comment("Hello", status=Comment.Status.PENDING)
    held = Sanction.objects.create(
        reader=reader, kind=Sanction.Kind.SUSPENSION, starts_at=timezone.now(),
        ends_at=timezone.now() + timedelta(days=1),
    )  # fmt: skip
    term = Term.objects.create(text="quagga", key="quagga", kind=Term.Kind.SUSPECT)
    domain = BlockedDomain.objects.create(domain="quagga.example")
    ids = {
        "domain_id": domain.pk,
        "comment_id": comment.pk,
        "reader_id": reader.pk,
        "sanction_id": held.pk,
        "term_id": term.pk,
        "slug": "reported",
    }
    urls = []
    for pattern in desk_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        kwargs = {name: ids[name] for name in pattern.pattern.converters}
        urls.append(reverse(f"moderation:{pattern.name}", kwargs=kwargs))
    assert len(urls) == len(desk_urls.urlpatterns) >= 11
    return urls


def test_visitors_are_sent_to_sign_in_from_every_desk_url(every_desk_url: list[str]) -> None:
    client = Client()
    for url in every_desk_url:
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith("/accounts/sign-in/?next="), url
    assert not AuditEntry.objects.exists()


def test_signed_in_readers_get_403_from_every_desk_url(
    every_desk_url: list[str], reader: User
) -> None:
    client = signed_in(reader)
    data = {"action": "approve", "revision": 1, "status": "pending", "reason": "x",
            "kind": "ban", "text": "anything"}  # fmt: skip
    for url in every_desk_url:
        assert client.get(url).status_code == 403, url
        assert client.post(url, data).status_code == 403, url
    assert not AuditEntry.objects.exists()
    assert Comment.objects.get().status == Comment.Status.PENDING
    assert Term.objects.count() == 1


def test_an_inactive_moderator_is_refused(every_desk_url: list[str]) -> None:
    former = make_user("former@example.com", "Former Moderator", group="Moderators")
    former.is_active = False
    former.save()
    client = Client()
    client.force_login(former)
    response = client.get(every_desk_url[0])
    assert response.status_code in (302, 403)


@pytest.mark.parametrize("who", ["moderator", "editor"])
def test_moderators_and_editors_open_every_desk_page(
    every_desk_url: list[str], request: pytest.FixtureRequest, who: str
) -> None:
    client = signed_in(request.getfixturevalue(who))
    pages = [url for url in every_desk_url if url.endswith("/") and "/decide/" not in url]
    opened = 0
    for url in pages:
        response = client.get(url)
        if response.status_code == 405:  # POST-only action URLs
            continue
        assert response.status_code == 200, url
        assert b"Moderation desk" in response.content
        opened += 1
    assert opened >= 6


def test_the_masthead_links_to_the_desk_only_for_staff(moderator: User, reader: User) -> None:
    assert b'href="/desk/"' in signed_in(moderator).get("/").content
    assert b'href="/desk/"' not in signed_in(reader).get("/").content
