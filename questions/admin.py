"""The admin for question sets: sets with their questions, questions with their versions,
versions with their options, each with search, filters and a rendered preview through
the same Markdown pipeline the quiz uses (presenters.markdown)."""

from django.contrib import admin
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from .models import Attempt, Option, Question, QuestionSet, QuestionVersion, Response
from .presenters import markdown


def version_preview(version: QuestionVersion | None):
    """The version as a learner reads it, with the right options marked for the editor."""
    if version is None:
        return "–"
    options = format_html_join(
        "",
        "<li>{} {}</li>",
        (("✓" if o.correct else "✗", markdown(o.text)) for o in version.options.all()),
    )
    return format_html(
        '<div class="question-preview"><h3>{}</h3>{}<ul>{}</ul>{}</div>',
        version.title,
        markdown(version.prompt) if version.prompt != version.title else "",
        options,
        format_html("<h4>Explanation</h4>{}", markdown(version.explanation))
        if version.explanation
        else "",
    )


class QuestionInline(admin.TabularInline):
    model = Question
    fields = ["stable_id", "position", "retired", "title"]
    readonly_fields = ["stable_id", "title"]
    extra = 0
    can_delete = False
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("current_version")

    @admin.display(description="current title")
    def title(self, question):
        return question.current_version.title if question.current_version else "–"


@admin.register(QuestionSet)
class QuestionSetAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "difficulty", "published", "size", "updated_at"]
    list_editable = ["published"]
    search_fields = ["title", "slug", "description"]
    readonly_fields = ["source_format", "source_path", "created_at", "updated_at", "preview"]
    # Ownership (questions.teach.permissions.questionset_can_edit): staff name the owner
    # and the co-editors here; an empty owner makes it the site's, staff-only.
    autocomplete_fields = ["owner"]
    filter_horizontal = ["editors"]
    list_filter = ["published", "difficulty", "source_format", "edited_on_site"]
    inlines = [QuestionInline]
    actions = ["publish", "make_draft"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(size=Count("questions", filter=Q(questions__retired=False)))
        )

    def save_model(self, request, obj, form, change):
        # An edit of the site's own set here must survive the next `make run`.
        if change and obj.owner_id is None:
            obj.edited_on_site = True
        super().save_model(request, obj, form, change)

    @admin.display(ordering="size", description="questions")
    def size(self, question_set):
        return question_set.size

    @admin.display(description="Preview")
    def preview(self, question_set):
        questions = (
            question_set.questions.filter(retired=False)
            .select_related("current_version")
            .prefetch_related("current_version__options")
        )
        teach = reverse("teach:set", args=[question_set.slug]) if question_set.pk else ""
        return format_html(
            '<p><a href="{}">Open on the teaching pages</a></p>{}',
            teach,
            format_html_join("", "{}", ((version_preview(q.current_version),) for q in questions)),
        )

    @admin.action(description="Publish the selected sets")
    def publish(self, request, queryset):
        self.message_user(request, f"{queryset.update(published=True)} set(s) published.")

    @admin.action(description="Make the selected sets drafts (hidden from learners)")
    def make_draft(self, request, queryset):
        self.message_user(request, f"{queryset.update(published=False)} set(s) made drafts.")


class VersionInline(admin.TabularInline):
    model = QuestionVersion
    fields = ["number", "kind", "title", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "title", "position", "retired"]
    list_filter = ["retired", "question_set"]
    search_fields = ["stable_id", "question_set__title", "current_version__title"]
    list_select_related = ["question_set", "current_version"]
    readonly_fields = ["preview"]
    raw_id_fields = ["current_version"]
    inlines = [VersionInline]

    @admin.display(description="current title")
    def title(self, question):
        return question.current_version.title if question.current_version else "–"

    @admin.display(description="Preview of the current version")
    def preview(self, question):
        return version_preview(question.current_version)


class OptionInline(admin.TabularInline):
    model = Option
    extra = 0


@admin.register(QuestionVersion)
class QuestionVersionAdmin(admin.ModelAdmin):
    list_display = ["question", "number", "kind", "title", "created_at"]
    list_filter = ["kind", "difficulty", "question__question_set"]
    search_fields = ["title", "prompt", "question__stable_id"]
    list_select_related = ["question__question_set"]
    readonly_fields = ["preview", "content_hash"]
    inlines = [OptionInline]

    @admin.display(description="Preview")
    def preview(self, version):
        return version_preview(version) if version.pk else "–"


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    list_display = ["pk", "question_set", "user", "mode", "started_at", "finished_at", "score"]
    list_filter = ["mode", "question_set"]
    list_select_related = ["question_set", "user"]


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ["attempt", "question", "version", "correct", "answered_at"]
    list_filter = ["correct"]
    list_select_related = ["attempt", "question__question_set", "version__question"]
