"""Staff roles as Django groups with permissions, created after every migrate."""

from typing import Any

ROLE_PERMISSIONS: dict[str, list[str]] = {
    "Moderators": [
        "comments.view_comment",
        "comments.change_comment",
        "moderation.view_sanction",
        "moderation.add_sanction",
        "moderation.change_sanction",
        "core.view_auditentry",
    ],
    "Editors": [
        "stories.view_story",
        "stories.add_story",
        "stories.change_story",
        "stories.view_storynote",
        "stories.add_storynote",
        "stories.view_section",
        "stories.add_section",
        "stories.change_section",
        "stories.view_topic",
        "stories.add_topic",
        "stories.change_topic",
        "subscriptions.view_plan",
        "subscriptions.add_plan",
        "subscriptions.change_plan",
        "embed.view_site",
        "embed.add_site",
        "embed.change_site",
        "comments.view_quiethours",
        "comments.change_quiethours",
        "appeals.view_guideline",
        "appeals.add_guideline",
        "appeals.change_guideline",
        "comments.view_comment",
        "comments.change_comment",
        "moderation.view_sanction",
        "core.view_auditentry",
    ],
}


def ensure_roles(**kwargs: Any) -> None:
    from django.contrib.auth.models import Group, Permission

    for group_name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission:
                group.permissions.add(permission)


# Roles whose work is done in the Django admin (editors write stories there).
ADMIN_ROLES = {"Editors"}


def assign_role(user: Any, role: str) -> None:
    """Put `user` in the role's group; roles that work in the admin may sign in to it."""
    from django.contrib.auth.models import Group

    user.groups.add(Group.objects.get(name=role))
    if role in ADMIN_ROLES and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
