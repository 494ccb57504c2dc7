"""manage.py import_stories: plain text in the seed file's shape, Markdown with front matter,
malformed files, and re-imports."""

import shutil
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from broadsheet.stories import services
from broadsheet.stories.models import Section, Story

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
GOOD = FIXTURES / "stories"
BAD = FIXTURES / "bad_stories"


@pytest.fixture
def sections(db: Any) -> None:
    Section.objects.create(name="World", slug="world")
    Section.objects.create(name="Business", slug="business")


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_stories", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_wire_copy_keeps_paragraphs_and_leaves_out_site_boilerplate(sections: None) -> None:
    out, _ = run(str(GOOD / "wire_copy.txt"), "--section", "world")
    story = Story.objects.get()
    # One paragraph per line; the first is a sentence of reporting, so it stays in the body.
    assert story.body_html.count("<p>") == 5
    assert story.body_html.startswith("<p>The regional water board said on Monday")
    assert "subscription plan" not in story.body
    assert "left out site boilerplate: “With your current subscription plan" in out
    assert "no headline in the file" in out
    # A working headline from the first sentence; the story waits as a draft for an editor.
    assert story.headline.startswith("The regional water board said on Monday")
    assert len(story.headline) <= 120
    assert story.status == Story.Status.DRAFT
    assert story.section.slug == "world"


def test_plain_text_with_a_headline_and_blank_lines(sections: None) -> None:
    out, _ = run(str(GOOD / "with_headline.txt"), "--section", "world")
    story = Story.objects.get()
    assert story.headline == "Night buses to run until 4 a.m. from March"
    assert story.slug == "night-buses-to-run-until-4-am-from-march"
    assert (
        "<p>The city council voted 31 to 12 on Thursday to start six night bus routes, ending"
        in (story.body_html)
    )
    # Plain text stays plain: no list from "1999.", no emphasis from asterisks.
    assert "<ol" not in story.body_html
    assert "<em>" not in story.body_html
    assert "1999. That was the last year" in story.body_html
    assert "*nobody*" in story.body_html
    assert "To comment on stories" not in story.body
    assert "left out site boilerplate" in out


def test_markdown_with_front_matter(sections: None, client: Client) -> None:
    run(str(GOOD / "harbour.md"))
    story = Story.objects.get()
    assert story.headline == "Old harbour warehouses to become 400 homes"
    assert story.slug == "harbour-warehouses-homes"
    assert story.section.slug == "business"
    assert story.byline == "Business desk"
    assert story.dek == "A pension fund buys the north quay."
    assert story.is_premium is True
    assert story.status == Story.Status.PUBLISHED
    assert story.published_at is not None
    assert story.published_at.isoformat() == "2026-11-20T08:30:00+00:00"
    assert "<strong>north quay</strong>" in story.body_html
    assert sorted(story.topics.values_list("slug", flat=True)) == ["housing", "waterfront"]
    assert client.get("/story/harbour-warehouses-homes/").status_code == 200


def test_a_folder_imports_every_story_file(sections: None) -> None:
    out, _ = run(str(GOOD), "--section", "world")
    assert Story.objects.count() == 3
    assert "3 created, 0 updated, 0 failed." in out


def test_a_reimport_updates_instead_of_duplicating(sections: None, tmp_path: Path) -> None:
    folder = tmp_path / "wire"
    shutil.copytree(GOOD, folder)
    run(str(folder), "--section", "world")
    ids = set(Story.objects.values_list("pk", flat=True))

    edited = folder / "harbour.md"
    edited.write_text(edited.read_text().replace("400 homes", "420 homes"))
    out, _ = run(str(folder), "--section", "world")

    assert set(Story.objects.values_list("pk", flat=True)) == ids
    assert Story.objects.get(slug="harbour-warehouses-homes").headline.endswith("420 homes")
    assert "0 created, 3 updated, 0 failed." in out


def test_a_reimport_keeps_an_editors_publishing_decision(sections: None, editor: Any) -> None:
    run(str(GOOD / "wire_copy.txt"), "--section", "world")
    story = Story.objects.get()
    services.publish(story, by=editor)
    run(str(GOOD / "wire_copy.txt"), "--section", "world")
    story.refresh_from_db()
    assert story.status == Story.Status.PUBLISHED


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("broken_yaml.md", "has front matter that is not valid YAML at line"),
        ("no_headline.md", "has no headline in its front matter"),
        ("unknown_section.md", "names a section that does not exist ('nowhere'"),
        ("bad_date.md", "has a date that is not ISO 8601 ('last tuesday')"),
        ("bad_premium.md", "has premium: 'maybe'; write true or false"),
        ("typo_field.md", "has unknown front matter field(s): sectoin"),
        ("not_utf8.txt", "is not UTF-8 text"),
        ("only_boilerplate.txt", "has no story text (only site boilerplate)"),
    ],
)
def test_a_malformed_file_names_the_file_and_the_problem(
    sections: None, name: str, problem: str
) -> None:
    err = StringIO()
    with pytest.raises(CommandError, match="0 created, 0 updated, 1 failed"):
        call_command(
            "import_stories", str(BAD / name), "--section", "world", stdout=StringIO(), stderr=err
        )
    assert f"{BAD / name}: {problem}" in err.getvalue()
    assert not Story.objects.exists()


def test_malformed_files_are_reported_and_good_ones_still_import(
    sections: None, tmp_path: Path
) -> None:
    folder = tmp_path / "mixed"
    shutil.copytree(BAD, folder)
    shutil.copy(GOOD / "harbour.md", folder)
    err = StringIO()
    with pytest.raises(CommandError, match="1 created, 0 updated, 8 failed"):
        call_command("import_stories", str(folder), stdout=StringIO(), stderr=err)
    assert f"{folder / 'bad_date.md'}: has a date that is not ISO 8601" in err.getvalue()
    assert "(nothing imported from this file)" in err.getvalue()
    assert list(Story.objects.values_list("slug", flat=True)) == ["harbour-warehouses-homes"]


def test_plain_text_needs_a_section(sections: None) -> None:
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_stories", str(GOOD / "wire_copy.txt"), stdout=StringIO(), stderr=err)
    assert "wire_copy.txt: names no section" in err.getvalue()


def test_a_missing_path_is_an_error(db: Any) -> None:
    with pytest.raises(CommandError, match="no such file or folder"):
        run("/nonexistent/stories")
