"""The moderation fixtures (story, readers, moderators, comments) serve these tests too."""

from tests.moderation.conftest import (  # noqa: F401  (fixtures, found by name)
    another_reader,
    default_lists,
    editor,
    make_comment,
    moderator,
    moderator_client,
    other_story,
    reader,
    reader_client,
    second_moderator,
    section,
    signed_in,
    story,
)
