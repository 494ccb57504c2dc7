"""Stories' lead images: check an upload, strip its metadata, resize it, store the sizes.

An upload is refused unless Pillow can read it as a JPEG, PNG, WebP or GIF within the size
and pixel limits. What is stored is never the uploaded file: each width is drawn again
from the pixels alone, so EXIF (camera, GPS position), XMP, ICC and text chunks are gone.
Files go to the default storage (local disk, or S3-compatible object storage when
configured), under names that never repeat, so they may be cached for ever.
"""

import io
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from PIL import Image, ImageOps, UnidentifiedImageError

from broadsheet.core.exceptions import ServiceError
from broadsheet.stories import conf

# The widths served in `srcset`; an image narrower than one is not enlarged to it.
WIDTHS = (480, 960, 1600)
FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
# Far beyond any photograph, far below a decompression bomb.
MAX_PIXELS = 60_000_000


@dataclass(frozen=True)
class Rendition:
    width: int
    height: int
    data: bytes


def max_bytes() -> int:
    return int(settings.STORY_IMAGE_MAX_MB) * 1024 * 1024


def _refuse(message: str, code: str) -> ServiceError:
    return ServiceError(message, code=code, status=422)


def prepare(upload: Any) -> list[Rendition]:
    """The upload checked and drawn at each width (JPEG, or PNG for transparency).

    ServiceError (code `image_too_large`, `not_an_image`, `image_format`) says why not.
    """
    size = getattr(upload, "size", None)
    if size is None or size > max_bytes():
        raise _refuse(
            gettext("The image is larger than %(mb)d MB. Upload a smaller copy.")
            % {"mb": settings.STORY_IMAGE_MAX_MB},
            "image_too_large",
        )
    upload.seek(0)
    raw = upload.read()
    try:
        with Image.open(io.BytesIO(raw)) as probe:
            kind = probe.format
            if probe.width * probe.height > MAX_PIXELS:
                raise _refuse(
                    gettext("The image has too many pixels (%(w)d by %(h)d).")
                    % {"w": probe.width, "h": probe.height},
                    "image_too_large",
                )
            probe.verify()  # a truncated or corrupt file fails here
        with Image.open(io.BytesIO(raw)) as opened:
            opened.load()
            picture = ImageOps.exif_transpose(opened)  # upright before EXIF goes
    except ServiceError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _refuse(
            gettext("This file is not an image we can read. Upload a JPEG, PNG or WebP file."),
            "not_an_image",
        ) from None
    if kind not in FORMATS:
        raise _refuse(
            gettext("Images must be JPEG, PNG, WebP or GIF files."),
            "image_format",
        )
    transparent = picture.mode in {"RGBA", "LA", "PA"} or "transparency" in picture.info
    picture = picture.convert("RGBA" if transparent else "RGB")
    widths = sorted({min(width, picture.width) for width in WIDTHS})
    renditions = []
    for width in widths:
        height = max(1, round(picture.height * width / picture.width))
        resized = picture.resize((width, height), Image.Resampling.LANCZOS)
        # Pixels only: a fresh image carries no EXIF, XMP, ICC profile or text chunks.
        clean = Image.new(resized.mode, resized.size)
        clean.paste(resized)
        out = io.BytesIO()
        if transparent:
            clean.save(out, "PNG", optimize=True)
        else:
            clean.save(out, "JPEG", quality=82, optimize=True, progressive=True)
        renditions.append(Rendition(width, height, out.getvalue()))
    return renditions


def store(renditions: list[Rendition]) -> list[dict[str, Any]]:
    """Save each rendition; what `Story.image_renditions` keeps about them."""
    stem = f"stories/{timezone.now():%Y/%m}/{secrets.token_hex(8)}"
    saved = []
    for rendition in renditions:
        extension = "png" if rendition.data[:4] == b"\x89PNG" else "jpg"
        name = default_storage.save(
            f"{stem}-{rendition.width}.{extension}", ContentFile(rendition.data)
        )
        saved.append(
            {
                "name": name,
                "width": rendition.width,
                "height": rendition.height,
                "bytes": len(rendition.data),
                "type": f"image/{'png' if extension == 'png' else 'jpeg'}",
            }
        )
    return saved


def discard_later(renditions: list[dict[str, Any]]) -> None:
    """Delete replaced files once the change is committed (never while a page uses them)."""
    names = [r["name"] for r in renditions if r.get("name")]

    def delete() -> None:
        for name in names:
            default_storage.delete(name)

    if names:
        transaction.on_commit(delete)


def url(name: str) -> str:
    """A rendition's absolute address, for feeds and link previews."""
    address = default_storage.url(name)
    return address if address.startswith(("http://", "https://")) else conf.site_url() + address


@dataclass(frozen=True)
class LeadImage:
    """What a page needs to show a story's lead image."""

    src: str
    srcset: str
    width: int
    height: int
    alt: str
    caption: str
    credit: str
    largest: dict[str, Any]

    @property
    def absolute_src(self) -> str:
        return url(self.largest["name"])


def lead_image(story: Any) -> LeadImage | None:
    renditions = story.image_renditions or []
    if not renditions:
        return None
    # The `src` for browsers without srcset: the middle width, good on most screens.
    middle = renditions[min(1, len(renditions) - 1)]
    return LeadImage(
        src=default_storage.url(middle["name"]),
        srcset=", ".join(f"{default_storage.url(r['name'])} {r['width']}w" for r in renditions),
        width=middle["width"],
        height=middle["height"],
        alt=story.image_alt,
        caption=story.image_caption,
        credit=story.image_credit,
        largest=renditions[-1],
    )
