from django import forms

from broadsheet.notifications.models import Mode


class PreferencesForm(forms.Form):
    replies = forms.ChoiceField(
        label="Replies to my comments", choices=Mode.choices, widget=forms.RadioSelect
    )
    featured = forms.ChoiceField(
        label="My comment chosen as an editors' pick",
        choices=Mode.choices,
        widget=forms.RadioSelect,
    )
    followed = forms.ChoiceField(
        label="New comments in discussions I follow",
        choices=Mode.choices,
        widget=forms.RadioSelect,
    )
    follow_own_threads = forms.BooleanField(label="Follow the threads I comment in", required=False)
    account_emails = forms.BooleanField(
        label="E-mail me receipts and notices about my subscription", required=False
    )
