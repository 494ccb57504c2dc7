"""The community guidelines a new site starts with; editors reword them in the admin."""

from broadsheet.comments.markdown import render_comment

DEFAULT_GUIDELINES = [
    (
        "respect",
        "Be respectful",
        "Argue with ideas, not with people. No personal attacks, insults, name-calling or "
        "harassment, and nothing sexually explicit.",
    ),
    (
        "no-hate",
        "No hate",
        "Do not attack or demean people for who they are: their origin, religion, gender, "
        "sexuality, disability or age.",
    ),
    (
        "no-threats",
        "No threats or incitement",
        "Never threaten anyone, wish them harm, or call for violence.",
    ),
    (
        "no-spam",
        "No spam or advertising",
        "Comments are for the conversation: no advertising, link farms or the same text "
        "posted again and again.",
    ),
    (
        "on-topic",
        "Stay on topic",
        "Keep to the story and the discussion under it.",
    ),
    (
        "accuracy",
        "Be accurate",
        "Do not spread claims you know to be false. Link to your sources when you can.",
    ),
    (
        "the-law",
        "Obey the law",
        "Nothing illegal: no defamation, no breach of copyright or privacy, nothing that "
        "breaks a court order. Anyone can tell us of illegal content with the "
        "[notice form](/notices/new/).",
    ),
]


def install_guidelines() -> None:
    """The default guidelines for a new site (the migration adds them too)."""
    from broadsheet.appeals.models import Guideline

    install(Guideline)


def install(guideline_model: type) -> None:
    """Add the default sections that are missing (running it again changes nothing)."""
    for position, (slug, title, body) in enumerate(DEFAULT_GUIDELINES):
        guideline_model.objects.get_or_create(  # type: ignore[attr-defined]
            slug=slug,
            defaults={
                "title": title,
                "body": body,
                "body_html": render_comment(body),
                "position": position * 10,
            },
        )
