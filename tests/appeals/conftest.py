"""The moderation fixtures (story, readers, moderators, comments) serve these tests too."""

from typing import Any

import pytest

from broadsheet.appeals.defaults import install_guidelines
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


@pytest.fixture(autouse=True)
def guidelines(db: Any) -> None:
    """The default guidelines, as the migration installs them: a browser test that ran
    earlier in the same process may have emptied every table."""
    install_guidelines()
