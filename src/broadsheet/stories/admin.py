"""The editors' desk for stories: write, preview, schedule and publish.

Every save goes through broadsheet.stories.services, so the slug, the rendered body, the
publication state and the audit log are handled the same way as by the importer.
"""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from broadsheet.accounts.models import User
from broadsheet.core.exceptions import ServiceError
from broadsheet.stories import images, rules, services
from broadsheet.stories.markdown import render_story_body
from broadsheet.stories.models import Section, Story, StoryNote, Topic
from broadsheet.subscriptions.paywall import StoryAccess


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin[Section]):
    list_display = ["name", "slug", "display_order"]
    list_editable = ["display_order"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin[Topic]):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class StoryForm(forms.ModelForm[Story]):
    class Meta:
        model = Story
        fields = [
            "headline", "dek", "section", "body", "authors", "byline", "dateline", "topics",
            "status", "published_at", "is_top_story", "is_premium",
            "comment_mode", "close_comments_after_days", "moderation_strictness",
            "image_alt", "image_caption", "image_credit",
        ]  # fmt: skip
        widgets = {
            "body": forms.Textarea(attrs={"rows": 24, "class": "vLargeTextField"}),
            "headline": forms.TextInput(attrs={"class": "vLargeTextField"}),
            "dek": forms.Textarea(attrs={"rows": 2, "class": "vLargeTextField"}),
        }
        help_texts = {
            "body": gettext_lazy(
                "Markdown: blank lines between paragraphs, ## for a subheading, "
                "**bold**, *italic*, [link](https://…), > for a quotation."
            ),
            "status": gettext_lazy(
                "Draft: only editors see it. Scheduled: appears at the publish time. "
                "Published: live now (a future publish time schedules it). "
                "Unpublished: taken down; its address answers 404."
            ),
            "byline": gettext_lazy(
                "Shown when no author accounts are chosen, e.g. “Foreign desk”."
            ),
        }

    lead_image = forms.FileField(
        label=_("Lead image"),
        required=False,
        help_text=_(
            "JPEG, PNG, WebP or GIF. Resized for phones and wide screens; camera data "
            "and location are removed."
        ),
    )
    remove_lead_image = forms.BooleanField(label=_("Remove the lead image"), required=False)

    def clean_lead_image(self) -> Any:
        upload = self.cleaned_data.get("lead_image")
        if not upload:
            return None
        try:
            return images.prepare(upload)
        except ServiceError as error:
            raise forms.ValidationError(error.message, code=error.code) from error

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.external_url:
            # The story's page is on a newsroom's own site: here it is only a comment stream.
            self.fields["section"].required = False
            self.fields["body"].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        has_image = bool(data.get("lead_image")) or (
            bool(self.instance.image_renditions) and not data.get("remove_lead_image")
        )
        if has_image and not (data.get("image_alt") or "").strip():
            self.add_error(
                "image_alt", _("Describe the image (alt text) for readers who cannot see it.")
            )
        status = data.get("status")
        if status:
            try:
                services.check_publication(status, data.get("published_at"))
            except ServiceError as error:
                field = "published_at" if error.code in {"no_time", "time_passed"} else None
                self.add_error(field, error.message)
        return data


class NoteFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        adding = [f for f in self.forms if f.has_changed() and f.instance.pk is None]
        for note_form in adding:
            if len((note_form.cleaned_data or {}).get("text", "").strip()) > services.NOTE_MAX:
                note_form.add_error(
                    "text",
                    _("A note may be at most %(max)d characters of text.")
                    % {"max": services.NOTE_MAX},
                )
        if adding and not services.is_live(self.instance):
            raise forms.ValidationError(
                _("Corrections and updates are for published stories; edit a draft instead.")
            )


class StoryNoteInline(admin.StackedInline):
    """Dated corrections and updates, shown to readers under the story and in the feed."""

    model = StoryNote
    formset = NoteFormSet
    fields = ["kind", "text", "created_at"]
    readonly_fields = ["created_at"]
    extra = 0
    can_delete = False
    verbose_name = "correction or update"

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a published note stays as readers saw it


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin[Story]):
    form = StoryForm
    inlines = [StoryNoteInline]
    list_display = [
        "headline",
        "section",
        "state",
        "published_at",
        "comment_mode",
        "comments",
        "is_top_story",
        "is_premium",
    ]
    list_filter = ["status", "section", "is_top_story", "is_premium", "comment_mode", "topics"]
    list_select_related = ["section"]
    search_fields = ["headline", "dek", "byline", "slug"]
    date_hierarchy = "published_at"
    ordering = ["-created_at"]
    filter_horizontal = ["authors", "topics"]
    readonly_fields = [
        "current_image",
        "address",
        "revised_at",
        "comment_count",
        "created_at",
        "updated_at",
    ]
    actions = ["publish_now", "take_down"]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["headline", "dek", "section", "body"]}),
        (
            gettext_lazy("Lead image"),
            {
                "fields": [
                    "current_image",
                    "lead_image",
                    "image_alt",
                    "image_caption",
                    "image_credit",
                    "remove_lead_image",
                ]
            },
        ),
        (gettext_lazy("Byline"), {"fields": ["authors", "byline", "dateline", "topics"]}),
        (
            gettext_lazy("Publishing"),
            {"fields": ["status", "published_at", "is_top_story", "is_premium", "address"]},
        ),
        (
            gettext_lazy("Comments"),
            {
                "fields": [
                    "comment_mode",
                    "close_comments_after_days",
                    "moderation_strictness",
                    "comment_count",
                ]
            },
        ),
        (
            "History",
            {"classes": ["collapse"], "fields": ["revised_at", "created_at", "updated_at"]},
        ),
    ]
    change_form_template = "admin/stories/story/change_form.html"

    def formfield_for_manytomany(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> forms.ModelMultipleChoiceField[Any] | None:
        if db_field.name == "authors":
            # Bylines name staff, not readers.
            kwargs["queryset"] = (
                User.objects.filter(Q(is_staff=True) | Q(groups__name="Editors"))
                .distinct()
                .order_by("display_name", "email")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=gettext_lazy("state"))
    def state(self, story: Story) -> str:
        if services.is_live(story):
            return _("published")
        if story.status == Story.Status.SCHEDULED and story.published_at:
            local = timezone.localtime(story.published_at)
            return _("scheduled for %(when)s") % {"when": f"{local:%d %b %Y %H:%M}"}
        return story.get_status_display().lower()

    @admin.display(description=gettext_lazy("comments"), ordering="comment_count")
    def comments(self, story: Story) -> str:
        closed = " (closed)" if rules.comments_are_closed(story) else ""
        return format_html(
            '<a href="/desk/?story={}" title="Moderate these comments">{}{}</a>',
            story.pk,
            story.comment_count,
            closed,
        )

    @admin.display(description=gettext_lazy("current image"))
    def current_image(self, story: Story) -> str:
        image = story.lead_image
        if image is None:
            return _("None")
        return format_html('<img src="{}" alt="{}" width="240">', image.src, image.alt)

    @admin.display(description=gettext_lazy("address"))
    def address(self, story: Story) -> str:
        if not story.pk:
            return _("Given from the headline when the story is first saved.")
        url = story.get_absolute_url()
        if services.is_live(story):
            return format_html('<a href="{}">{}</a>', url, url)
        return format_html(_("{} (not public yet)"), url)

    def save_model(self, request: HttpRequest, obj: Story, form: Any, change: bool) -> None:
        new_image = form.cleaned_data.get("lead_image")
        if form.cleaned_data.get("remove_lead_image") and not new_image:
            services.save_story(obj, by=request.user)
            services.set_lead_image(obj, None, by=request.user)
            return
        services.save_story(obj, by=request.user)
        if new_image:
            services.set_lead_image(obj, new_image, by=request.user)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not StoryNote:
            super().save_formset(request, form, formset, change)
            return
        # Notes are a public record: each new one goes through the service; none is edited.
        added = []
        for note_form in formset.forms:
            if note_form.has_changed() and note_form.instance.pk is None:
                data = note_form.cleaned_data
                if data and not data.get("DELETE"):
                    added.append(
                        services.add_note(
                            form.instance, data["kind"], data["text"], by=request.user
                        )
                    )
        # What the admin's history message reads.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = added, [], []

    def response_change(self, request: HttpRequest, obj: Story) -> HttpResponse:
        if "_preview" in request.POST:
            return HttpResponseRedirect(reverse("admin:stories_story_preview", args=[obj.pk]))
        return super().response_change(request, obj)

    def response_add(
        self, request: HttpRequest, obj: Story, post_url_continue: str | None = None
    ) -> HttpResponse:
        if "_preview" in request.POST:
            return HttpResponseRedirect(reverse("admin:stories_story_preview", args=[obj.pk]))
        return super().response_add(request, obj, post_url_continue)

    @admin.action(
        description=gettext_lazy("Publish the selected stories now"), permissions=["change"]
    )
    def publish_now(self, request: HttpRequest, queryset: QuerySet[Story]) -> None:
        for story in queryset:
            services.publish(story, by=request.user)
        self.message_user(
            request,
            _("Published %(count)s stor(y/ies).") % {"count": queryset.count()},
            messages.SUCCESS,
        )

    @admin.action(
        description=gettext_lazy("Unpublish the selected stories"), permissions=["change"]
    )
    def take_down(self, request: HttpRequest, queryset: QuerySet[Story]) -> None:
        done = 0
        for story in queryset:
            try:
                services.unpublish(story, by=request.user)
            except ServiceError as error:
                self.message_user(request, f"“{story}”: {error.message}", messages.WARNING)
            else:
                done += 1
        if done:
            self.message_user(
                request, _("Unpublished %(count)s stor(y/ies).") % {"count": done}, messages.SUCCESS
            )

    def get_urls(self) -> list[URLPattern]:
        own = [
            path(
                "<int:pk>/preview/",
                self.admin_site.admin_view(self.preview),
                name="stories_story_preview",
            ),
            path(
                "markdown-preview/",
                self.admin_site.admin_view(self.markdown_preview),
                name="stories_story_markdown_preview",
            ),
        ]
        return own + super().get_urls()

    def preview(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The story as readers will see it, whatever its state."""
        story = self.get_object(request, str(pk))
        if story is None:
            raise Http404(_("No such story."))
        if not self.has_view_permission(request, story):
            raise PermissionDenied
        return TemplateResponse(
            request,
            "stories/preview.html",
            {
                "story": story,
                "access": StoryAccess(full=True),
                "live": services.is_live(story),
                "state": self.state(story),
                "change_url": reverse("admin:stories_story_change", args=[story.pk]),
                "comments_closed": rules.comments_are_closed(story),
                "comments_close_at": rules.comments_close_at(story),
                "reviewed_first": rules.comments_reviewed_first(story),
            },
        )

    def markdown_preview(self, request: HttpRequest) -> HttpResponse:
        """Try Markdown and see it rendered with the story styles, before pasting it in."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        text = request.POST.get("body", "") if request.method == "POST" else ""
        context = {
            **self.admin_site.each_context(request),
            "title": _("Markdown preview"),
            "body": text,
            "body_html": render_story_body(text) if text else "",
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "stories/markdown_preview.html", context)
