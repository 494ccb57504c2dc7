"""Reads about accounts for other parts of the product."""

from broadsheet.accounts.models import User


def display_name_history(user: User) -> list[dict[str, object]]:
    """The reader's display names, newest first: {"name", "from", "until"} each.

    `until` is None for the name in use now.
    """
    return [
        {"name": entry.name, "from": entry.started_at, "until": entry.ended_at}
        for entry in user.display_names.all()
    ]
