"""Display names: the rules, and the key that makes look-alike names clash."""

import unicodedata


def display_name_key(name: str) -> str:
    """The form two names share when a reader could mistake one for the other."""
    return unicodedata.normalize("NFKC", name).casefold()
