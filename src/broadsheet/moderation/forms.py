"""Parsing what the desk and readers send; the rules themselves live in services.py."""

from datetime import timedelta

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from broadsheet.appeals.grounds import Ground
from broadsheet.comments.models import Comment
from broadsheet.moderation.categories import Category
from broadsheet.moderation.models import Report, Sanction, Term, Thresholds
from broadsheet.moderation.services import Action

REJECT_REASONS = [
    gettext_lazy("Personal attack"),
    gettext_lazy("Hate speech or slurs"),
    gettext_lazy("Spam or advertising"),
    "Off-topic",
    "Misinformation",
    gettext_lazy("Breaks the community guidelines"),
]
SUSPENSIONS = {
    "1h": (gettext_lazy("1 hour"), timedelta(hours=1)),
    "24h": (gettext_lazy("24 hours"), timedelta(hours=24)),
    "3d": (gettext_lazy("3 days"), timedelta(days=3)),
    "7d": (gettext_lazy("7 days"), timedelta(days=7)),
    "30d": (gettext_lazy("30 days"), timedelta(days=30)),
}


class DecisionForm(forms.Form):
    action = forms.ChoiceField(choices=[(a, a) for a in Action.ALL])
    revision = forms.IntegerField(min_value=1)
    status = forms.ChoiceField(choices=Comment.Status.choices)
    reason = forms.CharField(required=False, max_length=500)
    # The statement of reasons: left out, it follows from the reason or the category.
    ground = forms.ChoiceField(choices=[("", "—"), *Ground.choices], required=False)
    guideline = forms.SlugField(required=False, max_length=40)


class BulkForm(forms.Form):
    action = forms.ChoiceField(choices=[(Action.APPROVE, "approve"), (Action.REJECT, "reject")])
    reason = forms.CharField(required=False, max_length=500)

    def __init__(self, *args: object, items: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.raw_items = items

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        parsed = []
        for raw in self.raw_items:
            parts = raw.split(":")
            if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
                raise forms.ValidationError(_("The selection could not be read; reload the page."))
            parsed.append((int(parts[0]), int(parts[1]), parts[2]))
        if not parsed:
            raise forms.ValidationError(_("Select at least one comment."))
        cleaned["items"] = parsed
        return cleaned


class SanctionForm(forms.Form):
    kind = forms.ChoiceField(choices=Sanction.Kind.choices)
    reason = forms.CharField(max_length=500)
    duration = forms.ChoiceField(
        choices=[("", "—")] + [(key, label) for key, (label, _) in SUSPENSIONS.items()],
        required=False,
    )
    comment = forms.IntegerField(required=False, min_value=1)
    ground = forms.ChoiceField(choices=[("", "—"), *Ground.choices], required=False)
    guideline = forms.SlugField(required=False, max_length=40)

    def clean_duration(self) -> timedelta | None:
        key = self.cleaned_data.get("duration")
        return SUSPENSIONS[key][1] if key else None


class LiftForm(forms.Form):
    reason = forms.CharField(required=False, max_length=500)


class TermForm(forms.Form):
    text = forms.CharField(max_length=100, label=gettext_lazy("Word or phrase"))
    kind = forms.ChoiceField(
        choices=Term.Kind.choices,
        widget=forms.RadioSelect,
        initial=Term.Kind.SUSPECT,
        label=gettext_lazy("List"),
    )
    category = forms.ChoiceField(
        choices=Category.choices,
        initial=Category.INSULT,
        required=False,
        label=gettext_lazy("What kind of harm"),
        help_text=gettext_lazy("Shown on the desk and to the author; threats head the queue."),
    )
    note = forms.CharField(max_length=200, required=False, label=gettext_lazy("Note (optional)"))


class ThresholdsForm(forms.Form):
    """The site's thresholds as the desk edits them; services.set_thresholds checks limits."""

    toxicity = forms.FloatField(
        label=gettext_lazy("Profanity model score"), min_value=0.05, max_value=1
    )
    newsroom = forms.FloatField(
        label=gettext_lazy("Newsroom model score"), min_value=0.05, max_value=1
    )
    spam = forms.IntegerField(label=gettext_lazy("Spam weight"), min_value=1, max_value=10)
    strict_margin = forms.FloatField(
        label=gettext_lazy("Strict story margin"), min_value=0, max_value=0.5, step_size=0.01
    )
    threats = forms.ChoiceField(
        label=gettext_lazy("A comment that threatens someone"),
        choices=Thresholds.ThreatAction.choices,
        widget=forms.RadioSelect,
    )


class DomainForm(forms.Form):
    domain = forms.CharField(max_length=300, label=gettext_lazy("Domain or link"))
    note = forms.CharField(max_length=200, required=False, label=gettext_lazy("Note (optional)"))


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
        label=gettext_lazy("What is wrong with it?"),
    )
    text = forms.CharField(
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=gettext_lazy("Tell us more"),
        help_text=gettext_lazy("Needed if you choose “something else”."),
    )


class QuietHoursForm(forms.Form):
    enabled = forms.BooleanField(
        label=gettext_lazy("Close commenting during the quiet hours"), required=False
    )
    starts = forms.TimeField(
        label=gettext_lazy("Closes at"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    ends = forms.TimeField(
        label=gettext_lazy("Reopens at"), widget=forms.TimeInput(attrs={"type": "time"})
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Private note"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Seen by moderators and editors only; never by the reader."),
    )


class AuditFilterForm(forms.Form):
    """The audit log's filters; anything unreadable is ignored rather than refused."""

    q = forms.CharField(required=False, max_length=200)
    action = forms.CharField(required=False, max_length=80)
    moderator = forms.IntegerField(required=False, min_value=1)
    since = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
