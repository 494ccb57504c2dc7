"""The whole demo data set, in the order its parts depend on one another."""

from typing import Any

from django.db import transaction


def load_demo() -> dict[str, Any]:
    """Plans, accounts and their subscriptions, stories, comments, moderation. Idempotent."""
    from broadsheet.accounts.demo import load_accounts
    from broadsheet.appeals.defaults import install_guidelines
    from broadsheet.comments.demo import load_comments
    from broadsheet.moderation.demo import load_moderation
    from broadsheet.stories.demo import load_stories
    from broadsheet.subscriptions.demo import load_plans, load_subscriptions

    with transaction.atomic():
        plans = load_plans()
        users = load_accounts()
        load_subscriptions(plans, users)
        stories = load_stories()
        load_comments()
        load_moderation()
        install_guidelines()
    return {"plans": plans, "users": users, "stories": stories}
