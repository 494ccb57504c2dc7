"""Reads about accounts for other parts of the product."""

from broadsheet.accounts.models import User


def display_name_history(user: User) -> list[dict[str, object]]:
    """The reader's display names, newest first: {"name", "from", "until"} each."""
    if not user.display_name:
        return []
    return [{"name": user.display_name, "from": user.display_name_changed_at, "until": None}]
