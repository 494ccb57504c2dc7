"""Forms of the "Your data" pages: they parse input and check the password."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from broadsheet.accounts.models import User


class PasswordCheckedForm(forms.Form):
    """A form that changes the account, so it asks for the reader's password again."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Enter your password to confirm that it is you.")},
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                _("That is not your password. Please enter it again."), code="wrong_password"
            )
        return password


class EmailChangeForm(PasswordCheckedForm):
    new_email = forms.EmailField(
        label=_("New e-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("We send a link to it; your address changes once you open that link."),
        error_messages={
            "required": _("Enter the new address."),
            "invalid": _("Enter a whole e-mail address, such as name@example.com."),
        },
    )
    field_order = ["new_email", "password"]


class DeleteAccountForm(PasswordCheckedForm):
    KEEP = "keep"
    REMOVE = "remove"
    comments = forms.ChoiceField(
        label=_("Your comments"),
        choices=[
            (REMOVE, _("Remove my comments (replies by others stay, under “deleted”)")),
            (KEEP, _("Keep my comments, signed “A former reader”")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what happens to your comments.")},
    )
    field_order = ["comments", "password"]

    @property
    def keep_comments(self) -> bool:
        return self.cleaned_data["comments"] == self.KEEP
