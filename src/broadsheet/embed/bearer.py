"""The embed's own session: a signed token the frame keeps in memory and sends as a header.

Browsers that block third-party cookies never send Broadsheet's session cookie to a
frame on a newsroom's page, so the frame proves who it is with this instead. It is not
a cookie, so no other site can make a browser send it: requests that carry it need no
CSRF token. Raising the reader's session generation ("sign out everywhere") ends it.
"""

from django.core import signing

from broadsheet.accounts.models import User
from broadsheet.embed import conf
from broadsheet.embed.models import ReaderLink

SALT = "broadsheet.embed.session"


def issue(user: User, site_id: int) -> str:
    return signing.dumps({"u": user.pk, "s": site_id, "g": user.session_generation}, salt=SALT)


def reader_for(token: str) -> User | None:
    """The reader the token was issued to, if it is genuine, current and still linked."""
    try:
        data = signing.loads(token, salt=SALT, max_age=conf.session_lifetime())
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not all(isinstance(data.get(k), int) for k in "usg"):
        return None
    link = (
        ReaderLink.objects.select_related("user")
        .filter(site_id=data["s"], user_id=data["u"])
        .first()
    )
    if link is None:
        return None
    user = link.user
    if not user.is_active or user.session_generation != data.get("g"):
        return None
    return user
