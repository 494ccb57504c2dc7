from django import forms
from django.utils.translation import gettext_lazy

from broadsheet.notifications.models import Mode


class PreferencesForm(forms.Form):
    replies = forms.ChoiceField(
        label=gettext_lazy("Replies to my comments"), choices=Mode.choices, widget=forms.RadioSelect
    )
    featured = forms.ChoiceField(
        label=gettext_lazy("My comment chosen as an editors' pick"),
        choices=Mode.choices,
        widget=forms.RadioSelect,
    )
    followed = forms.ChoiceField(
        label=gettext_lazy("New comments in discussions I follow"),
        choices=Mode.choices,
        widget=forms.RadioSelect,
    )
    follow_own_threads = forms.BooleanField(
        label=gettext_lazy("Follow the threads I comment in"), required=False
    )
    account_emails = forms.BooleanField(
        label=gettext_lazy("E-mail me receipts and notices about my subscription"), required=False
    )
