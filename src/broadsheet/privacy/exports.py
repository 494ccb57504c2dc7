"""What "Download my data" contains: everything held about one reader, and nothing of others.

Each section is a small function reading one kind of record through an allow-list of
fields, so a new field (another reader's address, say) never leaks in by accident. Another
reader appears at most by their public display name, as anyone on the site sees it. A new
kind of personal record gets a section here.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.utils import timezone

from broadsheet.accounts.models import User
from broadsheet.appeals.models import Notice, Statement
from broadsheet.comments.models import Comment, Reaction
from broadsheet.core.models import AuditEntry
from broadsheet.embed.models import ReaderLink
from broadsheet.moderation.models import Report, Sanction
from broadsheet.notifications import preferences
from broadsheet.notifications.models import Delivery, Follow, Mute, Notification
from broadsheet.privacy.models import DataExport, DeletionRequest, EmailChange
from broadsheet.subscriptions.models import Payment, PlanGrant, PremiumRead, Subscription

Json = dict[str, Any]
FORMAT_VERSION = 1


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _account(user: User) -> Json:
    return {
        "id": user.pk,
        "email": user.email,
        "email_confirmed_at": _when(user.email_verified_at),
        "real_name": user.full_name,
        "display_name": user.display_name,
        "bio": user.bio,
        "joined_at": _when(user.date_joined),
        "last_signed_in_at": _when(user.last_login),
        "staff_groups": sorted(user.groups.values_list("name", flat=True)),
    }


def _display_names(user: User) -> list[Json]:
    return [
        {"name": h.name, "from": _when(h.started_at), "until": _when(h.ended_at)}
        for h in user.display_names.order_by("started_at", "pk")
    ]


def _email_changes(user: User) -> list[Json]:
    return [
        {
            "from": c.old_email,
            "to": c.new_email,
            "requested_at": _when(c.requested_at),
            "confirmed_at": _when(c.confirmed_at),
            "cancelled_at": _when(c.cancelled_at),
        }
        for c in EmailChange.objects.filter(reader=user).order_by("requested_at", "pk")
    ]


def _comments(user: User) -> list[Json]:
    comments = Comment.objects.filter(author=user).select_related("story").order_by("created_at")
    return [
        {
            "id": c.pk,
            "story": c.story.headline,
            "story_url": c.story.get_absolute_url(),
            # Only the id of the comment answered: its author is another reader.
            "in_reply_to_comment": c.parent_id,
            "created_at": _when(c.created_at),
            "edited_at": _when(c.edited_at),
            "status": c.status,
            "status_reason": c.status_reason,
            "status_changed_at": _when(c.status_changed_at),
            "held_because": c.category_for_author or None,
            "editors_pick": c.is_featured,
            "recommendations": c.recommend_count,
            "replies": c.reply_count,
            "text": c.body,
        }
        for c in comments
    ]


def _recommendations(user: User) -> list[Json]:
    return [
        {"comment": r.comment_id, "at": _when(r.created_at)}
        for r in Reaction.objects.filter(reader=user).order_by("created_at", "pk")
    ]


def _reports(user: User) -> list[Json]:
    return [
        {
            "comment": r.comment_id,
            "reason": r.reason,
            "text": r.text,
            "made_at": _when(r.created_at),
            "resolved_at": _when(r.resolved_at),
        }
        for r in Report.objects.filter(reader=user).order_by("created_at", "pk")
    ]


def _sanctions(user: User) -> list[Json]:
    return [
        {
            "kind": s.kind,
            "reason": s.reason,
            "from": _when(s.starts_at),
            "until": _when(s.ends_at),
            "lifted_at": _when(s.lifted_at),
        }
        for s in Sanction.objects.filter(reader=user).order_by("starts_at", "pk")
    ]


def _decisions(user: User) -> list[Json]:
    statements = Statement.objects.filter(reader=user).select_related("guideline", "appeal")
    out = []
    for st in statements.order_by("created_at", "pk"):
        appeal = getattr(st, "appeal", None)
        out.append(
            {
                "decision": st.decision,
                "comment": st.comment_id,
                "ground": st.ground,
                "moderator_words": st.text,
                "automatic": st.automatic,
                "guideline": st.guideline.title if st.guideline else None,
                "until": _when(st.ends_at),
                "at": _when(st.created_at),
                "appeal": {
                    "text": appeal.text,
                    "status": appeal.status,
                    "response": appeal.response,
                    "made_at": _when(appeal.created_at),
                    "handled_at": _when(appeal.handled_at),
                }
                if appeal
                else None,
            }
        )
    return out


def _notices(user: User) -> list[Json]:
    # Notices of illegal content sent from the reader's address, signed in or not.
    return [
        {
            "comment": n.comment_id,
            "name": n.name,
            "law": n.law,
            "explanation": n.explanation,
            "status": n.status,
            "response": n.response,
            "sent_at": _when(n.created_at),
        }
        for n in Notice.objects.filter(email__iexact=user.email).order_by("created_at", "pk")
    ]


def _subscriptions(user: User) -> list[Json]:
    subscriptions = (
        Subscription.objects.filter(reader=user)
        .select_related("plan")
        .prefetch_related("events")
        .order_by("started_at", "pk")
    )
    return [
        {
            "plan": s.plan.name,
            "status": s.status,
            "started_at": _when(s.started_at),
            "current_period_end": _when(s.current_period_end),
            "ended_at": _when(s.ended_at),
            "ends_at_period_end": s.cancel_at_period_end,
            "trial_ends_at": _when(s.trial_ends_at),
            "card": f"{s.card_brand} •••• {s.card_last4}" if s.card_last4 else None,
            "history": [
                {"at": _when(e.at), "what": e.cause, "to_status": e.to_status}
                for e in s.events.all()
            ],
        }
        for s in subscriptions
    ]


def _payments(user: User) -> list[Json]:
    payments = Payment.objects.filter(reader=user).select_related("plan").order_by("created_at")
    return [
        {
            "at": _when(p.created_at),
            "plan": p.plan.name,
            "kind": p.kind,
            "status": p.status,
            "amount": f"{p.amount_cents / 100:.2f}",
            "currency": p.currency,
            "card_last4": p.card_last4 or None,
            "reference": p.reference,
            "failure": p.failure_message or None,
            "period_start": _when(p.period_start),
            "period_end": _when(p.period_end),
        }
        for p in payments
    ]


def _plan_access(user: User) -> Json:
    grant = PlanGrant.objects.filter(reader=user).select_related("plan").first()
    reads = PremiumRead.objects.filter(reader=user).select_related("story").order_by("at")
    return {
        "plan_from_newsroom": {"plan": grant.plan.name, "source": grant.source} if grant else None,
        "subscriber_stories_read": [
            {"story": r.story.headline, "month": r.month, "at": _when(r.at)} for r in reads
        ],
    }


def _notification_settings(user: User) -> Json:
    prefs = preferences.preferences_for(user.pk)
    return {
        "replies": prefs.replies,
        "editors_picks": prefs.featured,
        "followed_discussions": prefs.followed,
        "follow_threads_I_comment_in": prefs.follow_own_threads,
        "subscription_emails": prefs.account_emails,
    }


def _followed_story(follow: Follow) -> str | None:
    story = follow.story or (follow.thread.story if follow.thread else None)
    return story.headline if story else None


def _follows(user: User) -> list[Json]:
    follows = Follow.objects.filter(reader=user).select_related("story", "thread__story")
    return [
        {
            "story": _followed_story(f),
            "thread_comment": f.thread_id,
            "following": f.following,
            "automatic": f.automatic,
            "since": _when(f.created_at),
        }
        for f in follows.order_by("created_at", "pk")
    ]


def _mutes(user: User) -> list[Json]:
    mutes = Mute.objects.filter(muter=user).select_related("muted").order_by("created_at")
    # Whom the reader muted, as everyone sees them: their public name only.
    return [{"reader": m.muted.public_name, "since": _when(m.created_at)} for m in mutes]


def _notifications(user: User) -> list[Json]:
    notifications = Notification.objects.filter(recipient=user).select_related("actor", "story")
    return [
        {
            "kind": n.kind,
            "story": n.story.headline,
            "comment": n.comment_id,
            "from_reader": n.actor.public_name if n.actor else None,
            "at": _when(n.created_at),
            "read_at": _when(n.read_at),
        }
        for n in notifications.order_by("created_at", "pk")
    ]


def _emails_sent(user: User) -> list[Json]:
    return [
        {"kind": d.kind, "status": d.status, "at": _when(d.created_at), "sent_at": _when(d.sent_at)}
        for d in Delivery.objects.filter(recipient=user).order_by("created_at", "pk")
    ]


def _newsroom_links(user: User) -> list[Json]:
    links = ReaderLink.objects.filter(user=user).select_related("site").order_by("created_at")
    return [
        {
            "site": link.site.name,
            "your_id_there": link.external_user_id,
            "since": _when(link.created_at),
        }
        for link in links
    ]


def _account_log(user: User) -> list[Json]:
    # What happened to the account itself (sign-up, password changes, ...): no details,
    # which may name the moderator who acted.
    entries = AuditEntry.objects.filter(target_type="accounts.user", target_id=str(user.pk))
    return [{"what": e.action, "at": _when(e.created_at)} for e in entries.order_by("created_at")]


def _requests(user: User) -> Json:
    deletion = DeletionRequest.objects.filter(reader=user).first()
    return {
        "downloads": [
            {"requested_at": _when(e.requested_at), "status": e.status}
            for e in DataExport.objects.filter(reader=user).order_by("requested_at", "pk")
        ],
        "deletion": {
            "requested_at": _when(deletion.requested_at),
            "erase_after": _when(deletion.erase_after),
            "keep_comments": deletion.keep_comments,
        }
        if deletion
        else None,
    }


SECTIONS: dict[str, Callable[[User], Any]] = {
    "account": _account,
    "display_name_history": _display_names,
    "email_changes": _email_changes,
    "comments": _comments,
    "recommendations": _recommendations,
    "reports_made": _reports,
    "sanctions": _sanctions,
    "decisions_about_you": _decisions,
    "notices_sent": _notices,
    "subscriptions": _subscriptions,
    "payments": _payments,
    "plan_access": _plan_access,
    "notification_settings": _notification_settings,
    "follows": _follows,
    "muted_readers": _mutes,
    "notifications": _notifications,
    "emails_sent": _emails_sent,
    "newsroom_accounts": _newsroom_links,
    "account_history": _account_log,
    "data_requests": _requests,
}


def collect(user: User) -> Json:
    """The reader's data as one JSON-ready document."""
    return {
        "format": FORMAT_VERSION,
        "prepared_at": timezone.now().isoformat(),
        **{name: section(user) for name, section in SECTIONS.items()},
    }
