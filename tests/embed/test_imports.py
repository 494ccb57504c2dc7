"""Importing Disqus and WordPress exports: threads, replies, authors, dates and statuses."""

from datetime import UTC, datetime
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client

from broadsheet.accounts.models import User
from broadsheet.comments.models import Comment
from broadsheet.embed.models import ReaderLink, Site, StoryLink
from broadsheet.stories.models import Story
from tests.embed.conftest import Signer

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "imports"


def run(kind: str, path: Path, site: str = "example") -> str:
    out = StringIO()
    call_command("import_comments", kind, str(path), "--site", site, stdout=out)
    return out.getvalue()


def story_of(site: Site, external_id: str) -> Story:
    return StoryLink.objects.select_related("story").get(site=site, external_id=external_id).story


def snapshot() -> tuple[int, ...]:
    return (Comment.objects.count(), Story.objects.count(), User.objects.count())


def test_a_disqus_export_brings_threads_replies_authors_dates_and_statuses(site: Site) -> None:
    output = run("disqus", FIXTURES / "disqus.xml")
    assert "Imported 5 comments (0 already imported) on 2 new stories, by 4 new readers." in output
    harbour = story_of(site, "harbour-reopens")
    assert harbour.headline == "Harbour reopens after storm repairs"
    assert harbour.external_url == "https://news.example.com/2024/harbour-reopens"
    assert harbour.comment_count == 2
    parent = Comment.objects.get(story=harbour, body__startswith="The sea wall")
    reply = Comment.objects.get(story=harbour, parent=parent)
    assert parent.reply_count == 1
    assert parent.author.display_name == "Ada Quay"
    assert parent.body == (
        "The sea wall looks far stronger than before.\n\nSee [the survey](https://example.org/wall)."
    )
    assert reply.body == "Agreed & the **new lights** help too."
    assert "<strong>new lights</strong>" in reply.body_html
    assert reply.created_at == datetime(2024, 3, 4, 10, 15, tzinfo=UTC)
    assert reply.author.email == "grace@example.org"
    statuses = dict(Comment.objects.filter(story=harbour).values_list("body", "status"))
    assert statuses["Buy cheap watches at example.biz"] == Comment.Status.REJECTED
    assert statuses["I take this back."] == Comment.Status.DELETED
    # A thread without an identifier is found by its address.
    ferry = story_of(site, "https://news.example.com/2024/ferry-timetable")
    assert ferry.comment_count == 1


def test_the_embed_shows_imported_comments(site: Site) -> None:
    run("disqus", FIXTURES / "disqus.xml")
    page = Client().get("/embed/frame/", {"site": "example", "id": "harbour-reopens"})
    html = page.content.decode()
    assert "Ada Quay" in html
    assert "Grace Harbour" in html
    assert "cheap watches" not in html


def test_running_an_import_again_changes_nothing(site: Site) -> None:
    run("disqus", FIXTURES / "disqus.xml")
    before = snapshot()
    harbour = story_of(site, "harbour-reopens")
    output = run("disqus", FIXTURES / "disqus.xml")
    assert "Imported 0 comments (5 already imported)" in output
    assert snapshot() == before
    again = story_of(site, "harbour-reopens")
    assert (again.comment_count, again.comment_version) == (
        harbour.comment_count,
        harbour.comment_version,
    )


def test_a_wordpress_export_brings_its_comments_but_not_pingbacks(site: Site) -> None:
    output = run("wordpress", FIXTURES / "wordpress.xml")
    assert "Imported 4 comments" in output
    story = story_of(site, "412")
    assert story.headline == "Lifeboat crew honoured"
    assert story.comment_count == 2
    first = Comment.objects.get(story=story, parent=None, status=Comment.Status.PUBLISHED)
    assert first.body == "Well deserved.\n\nThey were out for *eleven hours* that night."
    assert first.created_at == datetime(2023, 5, 15, 9, 0, tzinfo=UTC)
    assert first.replies.get().author.display_name == "Tom Netter"
    held = Comment.objects.get(story=story, body__startswith="Still waiting")
    assert held.status == Comment.Status.PENDING
    assert not Comment.objects.filter(body__contains="lifeboat crew was honoured").exists()
    assert not StoryLink.objects.filter(external_id="2").exists()  # a page without comments


def test_imported_authors_sign_in_only_after_claiming_by_email(site: Site) -> None:
    run("wordpress", FIXTURES / "wordpress.xml")
    ada = User.objects.get(email="ada@example.org")
    client = Client()
    client.post("/accounts/sign-in/", {"username": "ada@example.org", "password": "password"})
    assert "_auth_user_id" not in client.session
    Client().post("/accounts/reset/", {"email": "ada@example.org"})
    assert [message.to for message in mail.outbox] == [["ada@example.org"]]
    assert "/accounts/reset/" in mail.outbox[0].body
    assert ada.email_verified_at is None


def test_an_imported_author_signed_in_by_the_same_site_gets_their_comments(
    site: Site, sign: Signer
) -> None:
    run("wordpress", FIXTURES / "wordpress.xml")
    response = Client().post(
        "/embed/session/",
        {"site": "example", "token": sign(sub="wp-77", email="tom@example.org")},
        content_type="application/json",
    )
    assert response.status_code == 200
    link = ReaderLink.objects.get(site=site, external_user_id="wp-77")
    assert link.user.comments.count() == 2


# --- malformed files import nothing and say where -----------------------------------------

DISQUS_HEAD = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">\n'
    '<thread dsq:id="1"><id>p1</id><link>https://news.example.com/p1</link>'
    "<title>P1</title></thread>\n"
)


def post(
    dsq_id: str, text: str = "Fine.", parent: str = "", date: str = "2024-01-01T10:00:00Z"
) -> str:
    parent_element = f'<parent dsq:id="{parent}" />' if parent else ""
    return (
        f'<post dsq:id="{dsq_id}"><message><![CDATA[{text}]]></message>'
        f"<createdAt>{date}</createdAt><author><email>a{dsq_id}@example.org</email>"
        f'<name>Reader {dsq_id}</name></author><thread dsq:id="1" />{parent_element}</post>\n'
    )


MALFORMED = {
    "not_xml": (DISQUS_HEAD + post("10") + "<post>\n</disqus>\n", 6, "not well-formed XML"),
    "missing_parent": (
        DISQUS_HEAD + post("10") + post("11", parent="99") + "</disqus>\n",
        5,
        "comment 11 answers 99, which is not in the file",
    ),
    "bad_date": (
        DISQUS_HEAD + post("10") + post("11", date="yesterday") + "</disqus>\n",
        5,
        "'yesterday' is not a date",
    ),
    "empty_last_comment": (
        DISQUS_HEAD + post("10") + post("11") + post("12", text="  ") + "</disqus>\n",
        6,
        "comment 12 has no text",
    ),
    "external_entity": (
        '<?xml version="1.0"?>\n<!DOCTYPE disqus [\n<!ENTITY x SYSTEM "file:///etc/passwd">\n]>'
        "\n<disqus>&x;</disqus>\n",
        2,
        "document type declarations and entities are not accepted",
    ),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_a_malformed_file_names_the_line_and_imports_nothing(
    site: Site, tmp_path: Path, case: str
) -> None:
    text, line, problem = MALFORMED[case]
    path = tmp_path / "export.xml"
    path.write_text(text, encoding="utf-8")
    before = snapshot()
    with pytest.raises(CommandError) as refusal:
        run("disqus", path)
    assert f"export.xml, line {line}: {problem}" in str(refusal.value)
    assert "Nothing was imported." in str(refusal.value)
    assert snapshot() == before


def test_a_wordpress_comment_with_an_unknown_status_is_named(site: Site, tmp_path: Path) -> None:
    text = (
        (FIXTURES / "wordpress.xml")
        .read_text()
        .replace("<![CDATA[spam]]></wp:comment_approved>", "maybe</wp:comment_approved>")
    )
    path = tmp_path / "wxr.xml"
    path.write_text(text, encoding="utf-8")
    before = snapshot()
    with pytest.raises(CommandError, match=r"line 91: unknown comment_approved value 'maybe'"):
        run("wordpress", path)
    assert snapshot() == before


def test_the_wrong_format_or_site_is_refused(site: Site, demo: Any) -> None:
    with pytest.raises(CommandError, match="not a WordPress export"):
        run("wordpress", FIXTURES / "disqus.xml")
    with pytest.raises(CommandError, match="There is no site 'nope'"):
        run("disqus", FIXTURES / "disqus.xml", site="nope")


def test_an_existing_account_gets_its_comments_but_the_site_cannot_sign_in_as_it(
    site: Site, sign: Signer, demo: Any, tmp_path: Path
) -> None:
    text = (FIXTURES / "wordpress.xml").read_text().replace("tom@example.org", "member@example.com")
    path = tmp_path / "wxr.xml"
    path.write_text(text, encoding="utf-8")
    run("wordpress", path)
    member = User.objects.get(email="member@example.com")
    assert member.comments.filter(body__startswith="My cousin").exists()
    response = Client().post(
        "/embed/session/",
        {"site": "example", "token": sign(sub="wp-9", email="member@example.com")},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "token_email_taken"
