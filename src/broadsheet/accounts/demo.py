"""Demo accounts: one for each state a reader can be in, with fixed sign-ins."""

from dataclasses import dataclass

from django.conf import settings

from broadsheet.accounts.models import User


@dataclass(frozen=True)
class DemoAccount:
    email: str
    what: str
    plan: str | None = None
    display_name: str | None = None
    group: str | None = None


DEMO_ACCOUNTS = [
    DemoAccount("free@example.com", "registered reader on the free plan"),
    DemoAccount("digital@example.com", "subscriber whose plan excludes comments", plan="digital"),
    DemoAccount("noname@example.com", "commenting plan, no display name yet", plan="digital-plus"),
    DemoAccount(
        "member@example.com",
        "commenting plan with a display name",
        plan="digital-plus",
        display_name="Harbour Watcher",
    ),
    DemoAccount(
        "moderator@example.com",
        "moderator",
        plan="digital-plus",
        display_name="Desk Moderator",
        group="Moderators",
    ),
    DemoAccount(
        "editor@example.com",
        "editor",
        plan="digital-plus",
        display_name="Mara Lindqvist",
        group="Editors",
    ),
]


def load_accounts() -> dict[str, User]:
    from broadsheet.accounts.display_names import display_name_glyph_key, display_name_key
    from broadsheet.accounts.models import DisplayNameHistory
    from broadsheet.accounts.roles import assign_role

    users = {}
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(email=account.email).first()
        if user is None:
            user = User.objects.create_user(account.email, settings.DEMO_PASSWORD)
        user.email_verified_at = user.email_verified_at or user.date_joined
        if account.display_name:
            user.display_name = account.display_name
            user.display_name_key = display_name_key(account.display_name)
            user.display_name_glyph_key = display_name_glyph_key(account.display_name)
        user.save()
        if account.display_name:
            # Demo names skip the rate limit, so they are written here rather than by the service.
            DisplayNameHistory.objects.update_or_create(
                user=user,
                ended_at=None,
                defaults={
                    "name": account.display_name,
                    "key": display_name_key(account.display_name),
                    "glyph_key": display_name_glyph_key(account.display_name),
                    "started_at": user.date_joined,
                },
            )
        if account.group:
            assign_role(user, account.group)
        users[account.email] = user
    return users
