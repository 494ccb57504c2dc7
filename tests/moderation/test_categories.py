"""Categories as readers and moderators see them; site thresholds and strict stories."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from broadsheet.accounts.models import User
from broadsheet.comments.models import Comment
from broadsheet.core.models import AuditEntry
from broadsheet.moderation import conf
from broadsheet.moderation.models import Thresholds
from broadsheet.moderation.pipeline import Outcome, screen
from broadsheet.moderation.services import set_thresholds
from broadsheet.stories.models import Story

from .conftest import signed_in

pytestmark = pytest.mark.django_db

STORY = "city-council-approves-night-bus-network"
THREAT = "The planning officer deserves to be beaten for this."


@pytest.fixture(autouse=True)
def _no_rate_limits(settings: Any) -> None:
    settings.COMMENT_RATE_LIMIT_SECONDS = 0
    settings.COMMENT_BURST_PER_HOUR = 0


@pytest.fixture
def member(demo: dict[str, Any]) -> User:
    return User.objects.get(email="member@example.com")


@pytest.fixture
def desk(demo: dict[str, Any]) -> tuple[User, Client]:
    user = User.objects.filter(groups__name="Moderators").first()
    assert user is not None
    return user, signed_in(user)


def post(client: Client, text: str, slug: str = STORY) -> Any:
    return client.post(
        f"/api/comments/stories/{slug}/comments", {"text": text}, content_type="application/json"
    )


def test_a_threat_is_held_with_its_category_and_heads_the_queue(
    member: User, desk: tuple[User, Client]
) -> None:
    author = signed_in(member)
    insult = post(author, "You absolute clown, read the article.")
    threat = post(author, THREAT)
    assert insult.status_code == threat.status_code == 201
    assert Comment.objects.get(pk=threat.json()["id"]).category == "threat"
    assert Comment.objects.get(pk=insult.json()["id"]).category == "insult"
    page = desk[1].get("/desk/").content.decode()
    assert "threat or incitement" in page
    # Posted last, listed first: the most serious waits at the top.
    assert page.index(THREAT) < page.index("You absolute clown")


def test_the_site_can_refuse_threats_outright_and_the_author_is_told_why(
    member: User, desk: tuple[User, Client]
) -> None:
    set_thresholds(desk[0], threats=Thresholds.ThreatAction.REFUSE)
    before = Comment.objects.count()
    response = post(signed_in(member), THREAT)
    assert response.status_code == 422
    assert response.json()["code"] == "refused"
    assert "threaten someone or call for violence" in response.json()["detail"]
    assert Comment.objects.count() == before


def test_my_comments_says_why_a_comment_waits(member: User) -> None:
    author = signed_in(member)
    post(author, "Win a free iPhone today, claim it at tinyurl.com/freephone-claim")
    page = author.get("/accounts/comments/").content.decode()
    assert "it looks like advertising or spam" in page


def test_the_desk_api_gives_the_category(member: User, desk: tuple[User, Client]) -> None:
    post(signed_in(member), THREAT)
    items = desk[1].get("/api/moderation/queues/pending").json()["items"]
    assert items[0]["category"] == "threat"


# --- thresholds ----------------------------------------------------------------------------


def test_editors_set_thresholds_on_the_desk_and_every_check_uses_them(
    desk: tuple[User, Client], member: User
) -> None:
    _moderator, client = desk
    text = "Go to hell, you and your bus fanatics."
    story = Story.objects.get(slug=STORY)
    assert screen(author=member, story=story, text=text).outcome == Outcome.HOLD
    response = client.post(
        reverse("moderation:thresholds"),
        {"toxicity": "0.99", "newsroom": "0.6", "spam": "3", "strict_margin": "0.2",
         "threats": "hold"},
    )  # fmt: skip
    assert response.status_code == 302
    assert conf.site_limits().toxicity == 0.99
    assert conf.site_limits().spam == 3
    assert screen(author=member, story=story, text=text).outcome == Outcome.PUBLISH
    entry = AuditEntry.objects.get(action="moderation:thresholds:changed")
    assert entry.details["changes"]["toxicity"] == [0.7, 0.99]
    assert "0.99" in client.get(reverse("moderation:thresholds")).content.decode()


def test_a_threshold_out_of_range_is_refused_and_changes_nothing(
    desk: tuple[User, Client],
) -> None:
    response = desk[1].post(
        reverse("moderation:thresholds"),
        {"toxicity": "7", "newsroom": "0.6", "spam": "2", "strict_margin": "0.2",
         "threats": "hold"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "less than or equal to 1" in response.content.decode()
    assert conf.site_limits().toxicity == 0.7
    assert not Thresholds.objects.exists()


def test_readers_cannot_reach_the_thresholds(member: User) -> None:
    assert signed_in(member).get(reverse("moderation:thresholds")).status_code == 403


def test_a_strict_story_holds_what_a_standard_one_publishes(
    member: User, desk: tuple[User, Client]
) -> None:
    set_thresholds(desk[0], strict_margin=0.3)
    story = Story.objects.get(slug=STORY)
    text = "What a load of bollocks from the council."  # the model: about 0.41
    assert screen(author=member, story=story, text=text).outcome == Outcome.PUBLISH
    story.moderation_strictness = Story.Strictness.STRICT
    result = screen(author=member, story=story, text=text)
    assert result.outcome == Outcome.HOLD
    assert result.toxicity is not None
    assert result.toxicity < conf.site_limits().toxicity


def test_the_admin_edits_thresholds_through_the_same_rule(
    desk: tuple[User, Client], admin_client: Client
) -> None:
    response = admin_client.post(
        "/admin/moderation/thresholds/add/",
        {"toxicity": "0.8", "newsroom": "0.6", "spam": "2", "strict_margin": "0.1",
         "threats": "refuse"},
    )  # fmt: skip
    assert response.status_code == 302
    assert conf.site_limits().threats == "refuse"
    assert AuditEntry.objects.filter(action="moderation:thresholds:changed").exists()
