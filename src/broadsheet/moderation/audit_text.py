"""The audit log in sentences: "Desk Moderator rejected comment #12: “Personal attack”."

Entries keep their machine codes ("moderation:comment:rejected"); the desk shows each as a
sentence with links to the comment or the reader. Details are never dumped raw: some hold
e-mail addresses, which staff see only on the reader's own desk page.
"""

from typing import Any

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from broadsheet.accounts.models import User
from broadsheet.core.models import AuditEntry

# The actions a moderator filters by, in words (others are listed by their code).
ACTION_LABELS = {
    "moderation:comment:approved": gettext_lazy("Comment approved"),
    "moderation:comment:rejected": gettext_lazy("Comment rejected"),
    "moderation:comment:featured": gettext_lazy("Comment made an editors' pick"),
    "moderation:comment:unfeatured": gettext_lazy("Editors' pick removed"),
    "moderation:comment:undone": gettext_lazy("Decision undone"),
    "moderation:comment:hidden": gettext_lazy("Comment hidden after reports"),
    "moderation:comment:reported": gettext_lazy("Comment reported"),
    "moderation:sanction:warning": gettext_lazy("Reader warned"),
    "moderation:sanction:suspension": gettext_lazy("Reader suspended"),
    "moderation:sanction:ban": gettext_lazy("Reader banned"),
    "moderation:sanction:premoderation": gettext_lazy("Reader put under pre-moderation"),
    "moderation:sanction:lifted": gettext_lazy("Sanction lifted"),
    "moderation:note:added": gettext_lazy("Private note added"),
    "moderation:term:added": gettext_lazy("Word list term added"),
    "moderation:term:removed": gettext_lazy("Word list term removed"),
    "moderation:domain:blocked": gettext_lazy("Link domain blocked"),
    "moderation:domain:unblocked": gettext_lazy("Link domain unblocked"),
    "moderation:thresholds:changed": gettext_lazy("Thresholds changed"),
    "comments:quiet_hours:changed": gettext_lazy("Quiet hours changed"),
    "comments:comment:edited": gettext_lazy("Comment edited by its author"),
    "comments:comment:deleted": gettext_lazy("Comment deleted by its author"),
}

SANCTION_VERBS = {
    "warning": gettext_lazy("warned"),
    "suspension": gettext_lazy("suspended"),
    "ban": gettext_lazy("banned"),
    "premoderation": gettext_lazy("put under pre-moderation"),
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def _actor(entry: AuditEntry) -> SafeString:
    if entry.actor is None:
        return format_html("{}", _("An automatic check"))
    return _person(entry.actor)


def _person(user: User | None, user_id: Any = None) -> SafeString:
    """A reader or staff member by display name, linked to their desk page (never an e-mail)."""
    pk = user.pk if user is not None else user_id
    if pk is None:
        return format_html("{}", _("someone"))
    name = user.public_name if user is not None else _("reader #%(id)s") % {"id": pk}
    return format_html('<a href="{}">{}</a>', reverse("moderation:reader", args=[pk]), name)


def _comment(entry: AuditEntry) -> SafeString:
    return format_html(
        '<a href="{}">{}</a>',
        reverse("moderation:item", args=[entry.target_id]),
        _("comment #%(id)s") % {"id": entry.target_id},
    )


def _quoted(text: str) -> SafeString:
    return format_html("“{}”", text) if text else format_html("")


def sentence(entry: AuditEntry, people: dict[int, User] | None = None) -> SafeString:
    """What happened, as a sentence (`people`: readers named in details, by id)."""
    people = people or {}
    d = entry.details or {}
    who = _actor(entry)
    action = entry.action
    if entry.target_type == "comments.comment":
        comment = _comment(entry)
        if action == "moderation:comment:approved":
            return format_html(_("{} approved {}."), who, comment)
        if action == "moderation:comment:rejected":
            return format_html(_("{} rejected {}: {}."), who, comment, _quoted(entry.reason))
        if action == "moderation:comment:featured":
            return format_html(_("{} made {} an editors' pick."), who, comment)
        if action == "moderation:comment:unfeatured":
            return format_html(_("{} removed {} from the editors' picks."), who, comment)
        if action == "moderation:comment:undone":
            return format_html(
                _("{} undid the decision ({}) on {}; it is {} again."),
                who,
                d.get("undone", ""),
                comment,
                d.get("restored", ""),
            )
        if action == "moderation:comment:hidden":
            return format_html(
                _("{} was hidden until a moderator decides, after {} reports."),
                comment,
                d.get("reports", "several"),
            )
        if action == "moderation:comment:reported":
            return format_html(_("{} reported {} ({})."), who, comment, d.get("category", ""))
        if action == "comments:comment:edited":
            return format_html(_("{} edited {}."), who, comment)
        if action == "comments:comment:deleted":
            return format_html(_("{} deleted {}."), who, comment)
    if action.startswith("moderation:sanction:"):
        reader = _person(people.get(d.get("reader", 0)), d.get("reader"))
        kind = action.rsplit(":", 1)[-1]
        if kind == "lifted":
            return format_html(
                _("{} lifted the {} on {}."), who, d.get("kind", _("sanction")), reader
            )
        verb = SANCTION_VERBS.get(kind, kind)
        until = d.get("until", "")
        if until:
            return format_html(
                _("{} {} {} until {}: {}."), who, verb, reader, until[:16].replace("T", " "),
                _quoted(entry.reason),
            )  # fmt: skip
        return format_html(_("{} {} {}: {}."), who, verb, reader, _quoted(entry.reason))
    if action == "moderation:note:added":
        reader = _person(people.get(d.get("reader", 0)), d.get("reader"))
        return format_html(_("{} added a private note about {}."), who, reader)
    if action == "moderation:term:added":
        return format_html(
            _("{} added {} to the {} list."), who, _quoted(d.get("text", "")), d.get("kind", "")
        )
    if action == "moderation:term:removed":
        return format_html(
            _("{} removed {} from the {} list."),
            who,
            _quoted(d.get("text", "")),
            d.get("kind", ""),
        )
    if action == "moderation:domain:blocked":
        return format_html(_("{} blocked links to {}."), who, d.get("domain", ""))
    if action == "moderation:domain:unblocked":
        return format_html(_("{} unblocked links to {}."), who, d.get("domain", ""))
    if action == "moderation:thresholds:changed":
        changes = ", ".join(
            f"{name} {old} → {new}" for name, (old, new) in (d.get("changes") or {}).items()
        )
        return format_html(_("{} changed the thresholds: {}."), who, changes or "—")
    if action == "comments:quiet_hours:changed":
        after = d.get("after") or {}
        if not after.get("enabled"):
            return format_html(_("{} switched the quiet hours off."), who)
        return format_html(
            _("{} set the quiet hours: {} to {}."), who, after.get("starts"), after.get("ends")
        )
    # Anything else: "source:subject:verb" read as "<who> <verb> <subject> #<id>".
    parts = action.split(":")
    verb = parts[-1].replace("_", " ")
    subject = parts[1].replace("_", " ") if len(parts) > 2 else entry.target_type
    if entry.target_type == "accounts.user":
        target = _person(people.get(int(entry.target_id or 0)), entry.target_id)
        return format_html(_("{}: {} {} ({})."), who, subject, verb, target)
    return format_html(_("{}: {} #{} {}."), who, subject, entry.target_id, verb)


def readers_named(entries: list[AuditEntry]) -> dict[int, User]:
    """The readers the entries name (sanctions, notes, accounts), in one query."""
    ids: set[int] = set()
    for entry in entries:
        reader = (entry.details or {}).get("reader")
        if isinstance(reader, int):
            ids.add(reader)
        if entry.target_type == "accounts.user" and entry.target_id.isdigit():
            ids.add(int(entry.target_id))
    return User.objects.in_bulk(ids)
