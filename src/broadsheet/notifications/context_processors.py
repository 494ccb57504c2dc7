from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

from broadsheet.accounts.readers import signed_in


def unread(request: HttpRequest) -> dict[str, Any]:
    """The masthead's unread count, looked up only when a page shows it."""
    user = signed_in(getattr(request, "user", None))
    if user is None:
        return {}

    def count() -> int:
        from broadsheet.notifications.queries import unread_count

        return unread_count(user.pk)

    lookup: Callable[[], int] = count
    return {"unread_notifications": lookup}
