"""A few demo comments, so a new site shows a living stream."""

from django.db.models import Count, F, Q

from broadsheet.accounts.models import User
from broadsheet.comments.markdown import render_comment
from broadsheet.comments.models import Comment
from broadsheet.stories.models import Story

# (story slug, author, text[, index of the comment it replies to])
DEMO_COMMENTS: list[tuple[str, str, str] | tuple[str, str, str, int]] = [
    ("japan-quietly-helped-former-north-korean-official-return", "member@example.com",
     "The detail that stands out is how long this was kept quiet. **Twenty-odd years** "
     "before anyone said a word."),
    ("japan-quietly-helped-former-north-korean-official-return", "editor@example.com",
     "Thanks for reading. We are following up with the Red Cross archives; more soon.", 0),
    ("city-council-approves-night-bus-network", "member@example.com",
     "Finally. I work at the hospital and the last bus leaves at 23:40. *Every* night shift "
     "starts with a taxi."),
    ("lake-survey-finds-return-of-native-mussels", "moderator@example.com",
     "A reminder that the board's full survey is public: worth a read before the quagga "
     "debate starts again."),
]  # fmt: skip


# Editors' picks among the comments above (by index).
DEMO_PICKS = [2]


def load_comments() -> None:
    """Create the demo comments once, then make every count agree with what is stored."""
    made: list[Comment] = []
    for slug, email, text, *answers in DEMO_COMMENTS:
        story = Story.objects.get(slug=slug)
        author = User.objects.get(email=email)
        parent = made[answers[0]] if answers else None
        comment = Comment.objects.filter(story=story, author=author, body=text).first()
        if comment is None:
            comment = Comment.objects.create(
                story=story,
                author=author,
                body=text,
                body_html=render_comment(text),
                parent=parent,
                root=parent,
                depth=2 if parent else 1,
                is_featured=len(made) in DEMO_PICKS,
            )
        made.append(comment)
    recount()


def recount() -> None:
    """Set every story's comment count and every comment's reply count from the rows."""
    published = Comment.Status.PUBLISHED
    replies = Count("replies", filter=Q(replies__status=published))
    for comment in Comment.objects.annotate(found=replies):
        if comment.reply_count != comment.found:
            Comment.objects.filter(pk=comment.pk).update(reply_count=comment.found)
    counted = Count("comments", filter=Q(comments__status=published))
    for story in Story.objects.annotate(found=counted):
        Story.objects.filter(pk=story.pk).update(
            comment_count=story.found, comment_version=F("comment_version") + 1
        )
