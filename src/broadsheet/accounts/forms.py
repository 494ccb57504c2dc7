"""Forms of the accounts pages: they parse input; the rules live in services and display_names."""

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from broadsheet.accounts.models import User
from broadsheet.accounts.services import BIO_MAX_LENGTH

# One message for a wrong password and for an address without an account.
NO_MATCH = gettext_lazy(
    "That e-mail address and password do not match an account. Check both and try again, "
    "or choose a new password if you have forgotten it."
)


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": NO_MATCH,
        "inactive": gettext_lazy(
            "This account is closed. Contact us if you think that is a mistake."
        ),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("E-mail address")
        self.fields["username"].widget = forms.EmailInput(
            attrs={"autocomplete": "email", "autofocus": True}
        )


class SignUpForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=gettext_lazy("We send a link to confirm it. It is never shown to other readers."),
    )
    password = forms.CharField(
        label=gettext_lazy("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=(
            gettext_lazy(
                "At least 8 characters; not only digits, not a common password, "
                "and not like your e-mail address."
            )
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password = data.get("password")
        if password:
            probe = User(email=data.get("email") or "")
            try:
                password_validation.validate_password(password, probe)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return data


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        label=gettext_lazy("Display name"),
        required=False,
        strip=False,  # stray spaces are a rule with its own message, not silently dropped
        widget=forms.TextInput(
            attrs={
                "autocomplete": "nickname",
                "spellcheck": "false",
                "aria-describedby": "display-name-check display-name-rules",
                # As the reader types, htmx asks whether the name would be accepted.
                "hx-get": "/accounts/profile/check-name/",
                "hx-trigger": "input changed delay:400ms",
                "hx-target": "#display-name-check",
                "hx-sync": "this:replace",
            }
        ),
    )
    bio = forms.CharField(
        label=gettext_lazy("Short bio"),
        required=False,
        help_text=format_lazy(
            gettext_lazy("Optional, up to {count} characters."), count=BIO_MAX_LENGTH
        ),
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": BIO_MAX_LENGTH}),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class ChangePasswordForm(PasswordChangeForm):
    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": gettext_lazy(
            "That is not your current password. Please enter it again."
        ),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Current password")
        self.fields["new_password2"].label = _("New password, again")
        # The form shares its page with other sections: no keyboard popping up on arrival.
        self.fields["old_password"].widget.attrs.pop("autofocus", None)
