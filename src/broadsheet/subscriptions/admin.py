"""Plans are managed by editors in the admin; subscriptions and payments are read-only there.

A plan that readers have subscribed to cannot be deleted (their history points at it):
it is retired instead, which takes it off sale while current subscribers keep it.
"""

from typing import Any

from django.contrib import admin, messages
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from broadsheet.core.admin import ReadOnlyAdmin
from broadsheet.subscriptions.models import Payment, Plan, Subscription, SubscriptionEvent

CURRENT = Q(subscriptions__status__in=Subscription.CURRENT_STATUSES)


def _in_use(plan: Plan) -> bool:
    return plan.is_free or Subscription.objects.filter(plan=plan).exists()


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin[Plan]):
    list_display = [
        "name", "price", "period", "trial_days", "may_comment", "premium_stories",
        "monthly_free_premium", "is_public", "is_retired", "subscribers",
    ]  # fmt: skip
    list_filter = ["is_retired", "is_public", "may_comment", "premium_stories"]
    prepopulated_fields = {"slug": ["name"]}
    actions = ["retire", "reinstate"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "description", "display_order"]}),
        (gettext_lazy("Price"), {"fields": ["price_cents", "currency", "period", "trial_days"]}),
        (
            gettext_lazy("What the plan includes"),
            {
                "fields": [
                    "premium_stories",
                    "monthly_free_premium",
                    "may_comment",
                    "trial_includes_comments",
                ]
            },
        ),
        (gettext_lazy("On sale"), {"fields": ["is_public", "is_retired", "is_free"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Plan]:
        return (
            super()
            .get_queryset(request)
            .annotate(current_count=Count("subscriptions", filter=CURRENT))
        )

    @admin.display(description=gettext_lazy("price"))
    def price(self, plan: Plan) -> str:
        return f"{plan.price_cents / 100:.2f} {plan.currency}"

    @admin.display(description=gettext_lazy("current subscribers"), ordering="current_count")
    def subscribers(self, plan: Plan) -> int:
        return getattr(plan, "current_count", 0)

    def get_readonly_fields(self, request: HttpRequest, obj: Plan | None = None) -> list[str]:
        # The free plan is what every reader without a subscription gets: it stays free.
        return ["is_free"] if obj is not None else []

    def has_delete_permission(self, request: HttpRequest, obj: Plan | None = None) -> bool:
        if obj is not None and _in_use(obj):
            return False
        return super().has_delete_permission(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Plan]) -> None:
        unused = [plan for plan in queryset if not _in_use(plan)]
        kept = queryset.count() - len(unused)
        if kept:
            self.message_user(
                request,
                _(
                    "%(count)s plan(s) have or had subscribers, or are the free plan, and were "
                    "kept: retire them instead."
                )
                % {"count": kept},
                messages.WARNING,
            )
        Plan.objects.filter(pk__in=[plan.pk for plan in unused]).delete()

    @admin.action(
        description=gettext_lazy("Retire selected plans (no new subscribers)"),
        permissions=["change"],
    )
    def retire(self, request: HttpRequest, queryset: QuerySet[Plan]) -> None:
        free = queryset.filter(is_free=True).exists()
        count = queryset.filter(is_free=False).update(is_retired=True)
        self.message_user(
            request,
            _("%(count)s plan(s) retired; current subscribers keep them.") % {"count": count},
        )
        if free:
            self.message_user(request, _("The free plan cannot be retired."), messages.WARNING)

    @admin.action(
        description=gettext_lazy("Put selected plans back on sale"), permissions=["change"]
    )
    def reinstate(self, request: HttpRequest, queryset: QuerySet[Plan]) -> None:
        count = queryset.update(is_retired=False)
        self.message_user(request, _("%(count)s plan(s) back on sale.") % {"count": count})

    def save_model(self, request: HttpRequest, obj: Plan, form: Any, change: bool) -> None:
        if obj.is_free:
            obj.is_retired = False
        super().save_model(request, obj, form, change)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


EVENT_FIELDS = (
    "at",
    "cause",
    "from_status",
    "to_status",
    "from_plan",
    "to_plan",
    "actor",
    "detail",
)


class EventInline(ReadOnlyInline):
    model = SubscriptionEvent
    fields = readonly_fields = EVENT_FIELDS


PAYMENT_FIELDS = (
    "created_at",
    "kind",
    "amount_cents",
    "currency",
    "status",
    "reference",
    "failure_message",
)


class PaymentInline(ReadOnlyInline):
    model = Payment
    fields = readonly_fields = PAYMENT_FIELDS


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnlyAdmin):
    list_display = [
        "reader",
        "plan",
        "status",
        "current_period_end",
        "cancel_at_period_end",
        "started_at",
    ]
    list_filter = ["status", "plan", "cancel_at_period_end"]
    search_fields = ["reader__email"]
    list_select_related = ["reader", "plan"]
    date_hierarchy = "started_at"
    inlines = [EventInline, PaymentInline]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "reader", "plan", "kind", "amount_cents", "currency", "status"]
    list_filter = ["status", "kind", "provider"]
    search_fields = ["reader__email", "reference"]
    list_select_related = ["reader", "plan"]
