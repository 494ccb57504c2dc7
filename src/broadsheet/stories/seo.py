"""What search engines and link previews read from a story page: canonical URL, Open Graph
tags and schema.org NewsArticle data."""

import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

from broadsheet.stories import conf
from broadsheet.stories.models import Story

# Characters that could close the <script> element or open markup inside it.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@dataclass(frozen=True)
class StoryMeta:
    canonical: str
    description: str
    json_ld: SafeString


def absolute(path: str) -> str:
    return conf.site_url() + path


def author_names(story: Story) -> list[str]:
    names = [author.public_name for author in story.authors.all()]
    return names or ([story.byline] if story.byline else [])


def story_meta(story: Story) -> StoryMeta:
    canonical = absolute(story.get_absolute_url())
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": story.headline[:110],
        "description": story.dek,
        "mainEntityOfPage": canonical,
        "url": canonical,
        "articleSection": story.section.name if story.section else "",
        "datePublished": story.published_at.isoformat() if story.published_at else None,
        "dateModified": (story.revised_at or story.published_at or story.updated_at).isoformat(),
        "isAccessibleForFree": not story.is_premium,
        "keywords": [topic.name for topic in story.topics.all()],
        "publisher": {"@type": "Organization", "name": settings.SITE_NAME, "url": absolute("/")},
        "author": [
            {
                "@type": "Person",
                "name": author.public_name,
                "url": absolute(f"/author/{author.pk}/"),
            }
            for author in story.authors.all()
        ]
        or ([{"@type": "Organization", "name": story.byline}] if story.byline else []),
    }
    if story.dateline:
        data["dateline"] = story.dateline
    image = story.lead_image
    if image is not None:
        data["image"] = {
            "@type": "ImageObject",
            "url": image.absolute_src,
            "width": image.largest["width"],
            "height": image.largest["height"],
            **({"caption": image.caption} if image.caption else {}),
            **({"creditText": image.credit} if image.credit else {}),
        }
    text = json.dumps(
        {k: v for k, v in data.items() if v not in (None, "", [])}, ensure_ascii=False
    )
    return StoryMeta(
        canonical=canonical,
        description=story.dek,
        json_ld=mark_safe(text.translate(_SCRIPT_ESCAPES)),
    )
