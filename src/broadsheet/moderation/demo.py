"""Demo moderation data: the default word lists and a few comments waiting on the desk."""

from broadsheet.accounts.models import User
from broadsheet.comments.markdown import render_comment
from broadsheet.comments.models import Comment
from broadsheet.moderation.pipeline import Outcome, screen
from broadsheet.moderation.wordlists import install_defaults
from broadsheet.stories.models import Story

HELD_COMMENTS = [
    ("library-extends-opening-hours", "member@example.com",
     "Anyone who thinks volunteers can replace librarians is a complete idiot."),
    ("local-bakery-wins-national-prize", "free@example.com",
     "I earn $5000 a week working from home! Find out how at http://easy-cash-now.biz"),
    ("library-extends-opening-hours", "digital@example.com",
     "Shut up about the library, you people are obsessed. Nobody cares."),
    ("local-bakery-wins-national-prize", "member@example.com",
     "The baker deserves to be beaten for those prices. I know where he lives."),
]  # fmt: skip


def load_moderation() -> None:
    """Install the default word lists and hold a few comments, as the checks would."""
    install_defaults()
    for slug, email, text in HELD_COMMENTS:
        story = Story.objects.filter(slug=slug).first()
        author = User.objects.filter(email=email).first()
        if story is None or author is None:
            continue
        if Comment.objects.filter(story=story, author=author, body=text).exists():
            continue
        screening = screen(author=author, story=story, text=text)
        if screening.outcome != Outcome.HOLD:
            continue
        Comment.objects.create(
            story=story,
            author=author,
            body=text,
            body_html=render_comment(text),
            status=Comment.Status.PENDING,
            toxicity=screening.toxicity,
            hold_reasons=screening.reasons,
            category=screening.category,
        )
