"""Parsing what readers, visitors and the desk send; the rules live in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from broadsheet.appeals.services import APPEAL_MAX, RESPONSE_MAX, Outcome


class AppealForm(forms.Form):
    text = forms.CharField(
        label=_("Why do you think this decision was wrong?"),
        max_length=APPEAL_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Once per decision, up to 1,000 characters. A moderator other than the one "
            "who decided reads it."
        ),
    )


class AppealDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (Outcome.UPHOLD, _("Uphold the decision")),
            (Outcome.REVERSE, _("Reverse it (restore the comment or lift the sanction)")),
        ],
        widget=forms.RadioSelect,
    )
    response = forms.CharField(
        label=_("Your reasons (the reader sees them)"),
        max_length=RESPONSE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class NoticeForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=120)
    email = forms.EmailField(
        label=_("Your e-mail address"), help_text=_("We tell you what we decided.")
    )
    comment = forms.CharField(
        label=_("The comment"),
        max_length=500,
        help_text=_("Paste the comment's address or its number."),
    )
    law = forms.CharField(
        label=_("The law concerned"),
        max_length=200,
        help_text=_("For example: defamation, incitement to hatred, copyright; and the country."),
    )
    explanation = forms.CharField(
        label=_("Why the comment is illegal"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    good_faith = forms.BooleanField(
        label=_(
            "I send this notice in good faith and believe that what it says is accurate "
            "and complete."
        ),
    )


class NoticeDecisionForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("remove", _("Remove the comment")), ("decline", _("Take no action"))],
        widget=forms.RadioSelect,
    )
    response = forms.CharField(
        label=_("Your reasons (the sender sees them)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
