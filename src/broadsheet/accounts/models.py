from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower, Trim
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from broadsheet.accounts.emails import normalize_email


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: object) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=normalize_email(email), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username: str | None) -> "User":
        # Addresses are stored normalised; a reader may type theirs in any case.
        return self.get(email=normalize_email(username or ""))

    def create_superuser(self, email: str, password: str | None = None, **fields: object) -> "User":
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A reader or a member of staff. Signs in with an e-mail address.

    The e-mail address and real name are private; the public face of a reader is the
    display name, which they create in the Profile section before their first comment.
    """

    email = models.EmailField("e-mail address", max_length=254, unique=True)
    full_name = models.CharField("real name", max_length=150, blank=True)
    # NULL, not "", means "no name yet", so the unique key allows any number of them.
    display_name = models.CharField(max_length=30, null=True, blank=True)  # noqa: DJ001
    # The normalised, confusable-folded form of display_name; unique, so look-alikes clash.
    display_name_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    # The same with look-alikes folded before case (see display_names.display_name_glyph_key).
    display_name_glyph_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    display_name_changed_at = models.DateTimeField(null=True, blank=True)
    bio = models.TextField("short bio", max_length=500, blank=True)
    email_verified_at = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField("may use the admin", default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    # The language the reader chose with the picker; "" follows their browser.
    language = models.CharField(max_length=10, blank=True, default="")
    # Part of every session's check: raising it signs the reader out everywhere.
    session_generation = models.PositiveIntegerField(default=0, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
            # Every way in (sign-up, the admin, imports) stores the normalised address.
            models.CheckConstraint(
                condition=models.Q(email=Lower(Trim("email"))),
                name="user_email_normalised",
                violation_error_message=(
                    gettext_lazy(
                        "Store the e-mail address in lower case, without surrounding spaces."
                    )
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or f"reader #{self.pk}"

    @property
    def public_name(self) -> str:
        return self.display_name or _("A reader")

    @property
    def shows_desk_link(self) -> bool:
        """Whether the masthead links to the moderation desk: read with the user when
        signed in (accounts/backends.py), so no permission query; asked otherwise."""
        known = self.__dict__.get("works_on_desk")
        if known is not None:
            return bool(known) or self.is_superuser
        return self.has_perm("moderation.view_sanction")

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        # Django keys sessions to the password hash; the generation lets a reader end all
        # their sessions without changing the password.
        return salted_hmac(
            "broadsheet.accounts.User.get_session_auth_hash",
            f"{self.password}:{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


class DisplayNameHistory(models.Model):
    """One display name a reader has used, and when. A released name is held for its owner."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="display_names")
    name = models.CharField(max_length=30)
    key = models.CharField(max_length=200, db_index=True)
    glyph_key = models.CharField(max_length=200, db_index=True, default="")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name_plural = "display name history"
        constraints = [
            # A reader has one current name at a time.
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(ended_at__isnull=True),
                name="one_current_display_name",
            ),
        ]

    def __str__(self) -> str:
        return self.name
