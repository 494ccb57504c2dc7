"""Accounts in the admin: staff read a reader's names and status; changes go through the site."""

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from broadsheet.accounts.emails import normalize_email
from broadsheet.accounts.models import DisplayNameHistory, User


class UserAdminForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["email"]  # the admin adds the fields listed in UserAdmin.fields

    def clean_email(self) -> str:
        # Stored as sign-in looks it up: staff may type an address in any case.
        return normalize_email(self.cleaned_data["email"])


class DisplayNameHistoryInline(admin.TabularInline):
    model = DisplayNameHistory
    fields = ("name", "started_at", "ended_at")
    readonly_fields = ("name", "started_at", "ended_at")
    extra = 0
    can_delete = False
    verbose_name_plural = gettext_lazy("Display names, newest first")

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    form = UserAdminForm
    list_display = ["email", "display_name", "email_verified_at", "date_joined", "is_active"]
    search_fields = ["email", "display_name"]
    list_filter = ["is_active", "is_staff", "groups"]
    ordering = ["-date_joined"]
    # Names change only through the rules in services.set_display_name.
    readonly_fields = [
        "display_name",
        "display_name_changed_at",
        "email_verified_at",
        "date_joined",
        "last_login",
    ]
    fields = [
        "email",
        "full_name",
        "display_name",
        "display_name_changed_at",
        "bio",
        "email_verified_at",
        "is_active",
        "is_staff",
        "groups",
        "date_joined",
        "last_login",
    ]
    filter_horizontal = ["groups"]
    inlines = [DisplayNameHistoryInline]
