"""Lead images (checked, stripped, resized, served with srcset, in link previews and feeds),
corrections and updates, and the branded admin with "Save and preview"."""

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from broadsheet.accounts.models import User
from broadsheet.core.models import AuditEntry
from broadsheet.stories.models import Section, Story, StoryNote
from tests.stories.test_admin import form_data

GPS_TAG = 0x8825
MAKE_TAG = 0x010F


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORY_IMAGE_MAX_MB = 1


@pytest.fixture
def desk(db: Any, section: Section) -> Client:
    user = User.objects.create_user("editor@example.com", "pw", is_staff=True, display_name="Ed")
    user.groups.add(Group.objects.get(name="Editors"))
    client = Client()
    client.force_login(user)
    return client


def photo(width: int = 2000, height: int = 1000, *, fmt: str = "JPEG") -> bytes:
    """A photograph as a phone makes it: with the camera's make and a GPS position."""
    picture = Image.new("RGB", (width, height), (30, 90, 160))
    exif = Image.Exif()
    exif[MAKE_TAG] = "PhoneCam"
    exif[GPS_TAG] = {1: "N", 2: (51.0, 30.0, 0.0)}
    out = io.BytesIO()
    picture.save(out, fmt, exif=exif.tobytes())
    return out.getvalue()


def upload(data: bytes, name: str = "harbour.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def add_with_image(client: Client, section: Section, data: bytes, **fields: Any) -> Any:
    values = {
        "status": "published",
        "image_alt": "Fishing boats back at the quay at dawn",
        "image_caption": "The quay on Monday.",
        "image_credit": "Photo: Ada Lee",
        "lead_image": upload(data),
        **fields,
    }
    return client.post("/admin/stories/story/add/", form_data(section, **values))


def test_an_uploaded_image_is_resized_stripped_and_served_with_srcset(
    desk: Client, section: Section
) -> None:
    response = add_with_image(desk, section, photo())
    assert response.status_code == 302, response.content.decode()[:2000]
    story = Story.objects.get()
    widths = [r["width"] for r in story.image_renditions]
    assert widths == [480, 960, 1600]
    for rendition in story.image_renditions:
        with default_storage.open(rendition["name"]) as stored:
            picture = Image.open(io.BytesIO(stored.read()))
        assert picture.size == (rendition["width"], rendition["height"])
        exif = picture.getexif()
        assert MAKE_TAG not in exif
        assert GPS_TAG not in exif
        assert "exif" not in picture.info

    page = Client().get(story.get_absolute_url()).content.decode()
    img = re.search(r'<figure class="story__figure">\s*<img ([^>]+)>', page)
    assert img, page
    assert 'alt="Fishing boats back at the quay at dawn"' in img.group(1)
    assert " 480w, " in img.group(1)
    assert " 1600w" in img.group(1)
    assert "The quay on Monday." in page
    assert "Photo: Ada Lee" in page
    # The file itself is served (local disk by default), for a year.
    src = re.search(r'src="([^"]+)"', img.group(1))
    assert src
    served = Client().get(src.group(1))
    assert served.status_code == 200
    assert "immutable" in served["Cache-Control"]
    # Link previews and search engines get the largest size, with the alt text.
    assert re.search(r'<meta property="og:image" content="http://[^"]+-1600\.jpg">', page)
    assert 'property="og:image:alt" content="Fishing boats back at the quay at dawn"' in page
    assert 'name="twitter:card" content="summary_large_image"' in page
    data = json.loads(re.search(r'ld\+json"[^>]*>(.*?)</script>', page, re.S).group(1))  # type: ignore[union-attr]
    assert data["image"]["url"].endswith("-1600.jpg")
    assert data["image"]["width"] == 1600
    # And the feeds carry it as an enclosure.
    rss = Client().get("/feeds/latest/").content.decode()
    assert re.search(r'<enclosure [^>]*url="http://[^"]+-1600\.jpg"', rss)
    assert AuditEntry.objects.filter(action="stories:story:image_changed").exists()


def test_a_small_image_is_not_enlarged(desk: Client, section: Section) -> None:
    add_with_image(desk, section, photo(600, 400))
    assert [r["width"] for r in Story.objects.get().image_renditions] == [480, 600]


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"GIF89a this is not really a picture", "not an image we can read"),
        (b"%PDF-1.4 a document", "not an image we can read"),
        (photo()[:3000], "not an image we can read"),  # cut short
        (photo(4000, 4000, fmt="BMP"), "larger than 1 MB"),
    ],
    ids=["fake gif", "pdf", "truncated jpeg", "too large"],
)
def test_a_bad_upload_is_refused_with_the_reason_and_changes_nothing(
    desk: Client, section: Section, data: bytes, words: str
) -> None:
    response = add_with_image(desk, section, data)
    assert response.status_code == 200
    assert words in response.content.decode()
    assert not Story.objects.exists()


def test_an_image_needs_alt_text(desk: Client, section: Section) -> None:
    response = add_with_image(desk, section, photo(), image_alt="  ")
    assert response.status_code == 200
    assert "Describe the image (alt text)" in response.content.decode()
    assert not Story.objects.exists()


def test_replacing_and_removing_the_image_deletes_the_old_files(
    desk: Client, section: Section, django_capture_on_commit_callbacks: Any
) -> None:
    add_with_image(desk, section, photo())
    story = Story.objects.get()
    first = [r["name"] for r in story.image_renditions]
    change = f"/admin/stories/story/{story.pk}/change/"
    keep = {"status": "published", "image_alt": "Boats", "published_at_0": "", "published_at_1": ""}
    values = {**keep, "lead_image": upload(photo(1200, 800))}
    data = form_data(section, **values)
    data["published_at_0"], data["published_at_1"] = (
        story.published_at.strftime("%Y-%m-%d"),  # type: ignore[union-attr]
        story.published_at.strftime("%H:%M:%S"),  # type: ignore[union-attr]
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = desk.post(change, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    story.refresh_from_db()
    assert [r["width"] for r in story.image_renditions] == [480, 960, 1200]
    assert not any(default_storage.exists(name) for name in first)
    second = [r["name"] for r in story.image_renditions]
    data = {**data, "remove_lead_image": "on"}
    data.pop("lead_image")
    with django_capture_on_commit_callbacks(execute=True):
        assert desk.post(change, data).status_code == 302
    story.refresh_from_db()
    assert story.image_renditions == []
    assert not any(default_storage.exists(name) for name in second)
    assert "story__figure" not in Client().get(story.get_absolute_url()).content.decode()


def test_a_correction_shows_on_the_story_in_the_feed_and_moves_date_modified(
    desk: Client, section: Section, make_story: Any
) -> None:
    story = make_story()
    before = Client().get(story.get_absolute_url()).content.decode()
    assert "Corrections and updates" not in before
    data = form_data(section, status="published", headline=story.headline)
    data["published_at_0"] = story.published_at.strftime("%Y-%m-%d")
    data["published_at_1"] = story.published_at.strftime("%H:%M:%S")
    data.update(
        {
            "notes-TOTAL_FORMS": "1",
            "notes-0-kind": "correction",
            "notes-0-text": "An earlier version said the harbour shut for a month; it was a week.",
        }
    )
    response = desk.post(f"/admin/stories/story/{story.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    note = StoryNote.objects.get()
    story.refresh_from_db()
    assert story.revised_at == note.created_at
    page = Client().get(story.get_absolute_url()).content.decode()
    assert "Corrections and updates" in page
    assert "Correction, " in page
    assert "it was a week." in page
    ld = json.loads(re.search(r'ld\+json"[^>]*>(.*?)</script>', page, re.S).group(1))  # type: ignore[union-attr]
    assert ld["dateModified"] == note.created_at.isoformat()
    feed = Client().get("/feeds/latest/atom/").content.decode()
    assert "it was a week." in feed
    assert AuditEntry.objects.filter(action="stories:story:correction_added").exists()
    # Notes are a record: the admin shows them but offers no way to change one.
    change_page = desk.get(f"/admin/stories/story/{story.pk}/change/").content.decode()
    assert 'name="notes-0-text"' not in change_page


def test_a_draft_cannot_get_a_correction(desk: Client, section: Section, make_story: Any) -> None:
    story = make_story(status=Story.Status.DRAFT)
    data = form_data(section, headline=story.headline)
    data.update({"notes-TOTAL_FORMS": "1", "notes-0-kind": "update", "notes-0-text": "New."})
    response = desk.post(f"/admin/stories/story/{story.pk}/change/", data)
    assert response.status_code == 200
    assert "Corrections and updates are for published stories" in response.content.decode()
    assert not StoryNote.objects.exists()


def test_the_admin_is_branded_and_save_and_preview_sits_beside_save(
    desk: Client, settings: Any
) -> None:
    index = desk.get("/admin/").content.decode()
    assert "Django administration" not in index
    assert f">{settings.SITE_NAME}<" in index
    add = desk.get("/admin/stories/story/add/").content.decode()
    row = add.split('class="submit-row"')[-1].split("</div>")[0]
    names = re.findall(r'name="(_\w+)"', row)
    assert names[:2] == ["_save", "_preview"]


def test_the_preview_shows_the_comment_settings(
    desk: Client, section: Section, make_story: Any
) -> None:
    story = make_story(comment_mode=Story.CommentMode.PREMODERATED, close_comments_after_days=3)
    page = desk.get(f"/admin/stories/story/{story.pk}/preview/").content.decode()
    assert "Comment settings" in page
    assert "Pre-moderated: every comment waits for a moderator" in page
    assert "Commenting closes on " in page
