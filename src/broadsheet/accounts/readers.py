"""Who is asking: a signed-in reader, or a visitor."""

from django.contrib.auth.models import AnonymousUser

from broadsheet.accounts.models import User

Reader = User | AnonymousUser


def signed_in(reader: Reader | None) -> User | None:
    """The account behind `reader`, or None for a visitor."""
    if isinstance(reader, User) and reader.is_authenticated:
        return reader
    return None
