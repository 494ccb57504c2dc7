"""A few demo comments, so a new site shows a living stream."""

from broadsheet.accounts.models import User
from broadsheet.comments.markdown import render_comment
from broadsheet.comments.models import Comment
from broadsheet.stories.models import Story

DEMO_COMMENTS = [
    ("japan-quietly-helped-former-north-korean-official-return", "member@example.com",
     "The detail that stands out is how long this was kept quiet. **Twenty-odd years** "
     "before anyone said a word."),
    ("japan-quietly-helped-former-north-korean-official-return", "editor@example.com",
     "Thanks for reading. We are following up with the Red Cross archives; more soon."),
    ("city-council-approves-night-bus-network", "member@example.com",
     "Finally. I work at the hospital and the last bus leaves at 23:40. *Every* night shift "
     "starts with a taxi."),
    ("lake-survey-finds-return-of-native-mussels", "moderator@example.com",
     "A reminder that the board's full survey is public: worth a read before the quagga "
     "debate starts again."),
]  # fmt: skip


def load_comments() -> None:
    for slug, email, text in DEMO_COMMENTS:
        story = Story.objects.get(slug=slug)
        author = User.objects.get(email=email)
        if Comment.objects.filter(story=story, author=author, body=text).exists():
            continue
        Comment.objects.create(
            story=story, author=author, body=text, body_html=render_comment(text)
        )
    for story in Story.objects.all():
        story.comment_count = story.comments.filter(status=Comment.Status.PUBLISHED).count()
        story.save(update_fields=["comment_count"])
