"""Admin for the reference data (organs, parties, persons, memberships, users and their roles).

Meeting data is written in the drafting views; the admin shows it with its history for support.
"""

import re

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from . import models as m

User = get_user_model()


class MembershipInline(admin.TabularInline):
    model = m.Membership
    extra = 0
    autocomplete_fields = ["person", "party"]


@admin.register(m.Organ)
class OrganAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "diarium_prefix", "justerare_count", "kallelse_days"]
    search_fields = ["name", "short_name"]
    filter_horizontal = ["secretaries"]
    inlines = [MembershipInline]


@admin.register(m.Party)
class PartyAdmin(admin.ModelAdmin):
    list_display = ["name", "abbreviation"]
    search_fields = ["name", "abbreviation"]


class IdentityForm(forms.ModelForm):
    """Registers a person's e-legitimation from the identifier (e.g. the personnummer) or from the code
    the person was shown when the login was refused. Only the keyed hash is stored."""

    identifier = forms.CharField(
        label="Identifierare",
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text="Värdet som e-legitimationen skickar för personen, t.ex. personnumret (ÅÅÅÅMMDDNNNN). "
        "Sparas inte, bara som en nyckelhash.",
    )
    code = forms.CharField(
        label="… eller kod",
        required=False,
        max_length=100,
        help_text="Koden (64 tecken) som personen fick se när inloggningen nekades.",
    )

    class Meta:
        model = m.Identity
        fields: list[str] = []

    def clean(self) -> dict:
        data = super().clean()
        if self.instance.pk:
            return data
        if not settings.OIDC_ISSUER:
            raise forms.ValidationError("E-legitimation är inte konfigurerad (OIDC_ISSUER).")
        identifier = data.get("identifier", "").strip()
        code = re.sub(r"\s+", "", data.get("code", "")).lower()
        if bool(identifier) == bool(code):
            raise forms.ValidationError("Ange antingen identifieraren eller koden.")
        if code and not re.fullmatch(r"[0-9a-f]{64}", code):
            raise forms.ValidationError("Koden ska vara 64 tecken 0–9 och a–f.")
        digest = code or m.Identity.hash_identifier(identifier)
        taken = m.Identity.objects.filter(issuer=settings.OIDC_ISSUER, subject_hash=digest).select_related("person")
        if (other := taken.first()) is not None:
            raise forms.ValidationError(f"Den e-legitimationen är redan registrerad för {other.person}.")
        self.instance.issuer, self.instance.subject_hash = settings.OIDC_ISSUER, digest
        return data


class IdentityInline(admin.TabularInline):
    model = m.Identity
    form = IdentityForm
    extra = 0
    fields = ["identifier", "code", "issuer", "created_at", "last_login_at"]
    readonly_fields = ["issuer", "created_at", "last_login_at"]
    verbose_name = "e-legitimation (tillåter inloggning; användarkonto skapas vid första inloggningen)"


@admin.register(m.Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "party", "title", "organisation", "user"]
    search_fields = ["name", "title", "organisation"]
    autocomplete_fields = ["user", "party"]
    inlines = [MembershipInline, IdentityInline]

    def save_formset(self, request, form, formset, change) -> None:
        for identity_form in formset.forms if formset.model is m.Identity else []:
            if not identity_form.instance.pk:
                identity_form.instance.created_by = request.user
        super().save_formset(request, form, formset, change)


@admin.register(m.SigningRequest)
class SigningRequestAdmin(admin.ModelAdmin):
    """Every trip to the e-legitimation to sign, and why a refused one carried no signature."""

    list_display = ["person", "justering", "created_at", "outcome", "reason"]
    list_filter = ["outcome"]
    list_select_related = ["person", "justering__meeting__organ"]
    fields = ["person", "user", "justering", "content_hash", "created_at", "finished_at", "outcome", "reason"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(m.Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["person", "organ", "role", "party", "start", "end"]
    list_filter = ["organ", "role", "party"]
    search_fields = ["person__name"]
    autocomplete_fields = ["person", "party"]
    list_select_related = ["person", "organ", "party"]


class PersonInline(admin.StackedInline):
    model = m.Person
    extra = 0
    max_num = 1
    verbose_name = "Person (för underskrift)"
    fields = ["name", "title", "organisation", "email"]


class SecretaryOfInline(admin.TabularInline):
    model = m.Organ.secretaries.through
    extra = 0
    verbose_name = "Sekreterare för organ"
    verbose_name_plural = "Sekreterare för organ"


admin.site.unregister(User)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [PersonInline, SecretaryOfInline]


class ParagraphInline(admin.TabularInline):
    model = m.Paragraph
    extra = 0
    fields = ["number", "position", "title", "dnr", "secret", "immediate_justering"]
    show_change_link = True


class AttendanceInline(admin.TabularInline):
    model = m.Attendance
    extra = 0
    fields = ["person", "kind", "party", "role", "title", "organisation", "replaces", "absent"]
    autocomplete_fields = ["person", "replaces"]


@admin.register(m.Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "organ", "date", "diarienummer", "status"]
    list_filter = ["organ", "status"]
    search_fields = ["diarienummer", "place"]
    date_hierarchy = "date"
    list_select_related = ["organ"]
    autocomplete_fields = ["secretary", "chair", "justerare_1", "justerare_2"]
    inlines = [AttendanceInline, ParagraphInline]


class ClauseInline(admin.TabularInline):
    model = m.DecisionClause
    extra = 0


@admin.register(m.Paragraph)
class ParagraphAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "meeting", "dnr", "secret"]
    list_filter = ["organ", "year", "secret"]
    search_fields = ["title", "dnr"]
    list_select_related = ["meeting__organ"]
    inlines = [ClauseInline]


class FileInline(admin.TabularInline):
    """Handlingar are uploaded in the back office, where their content is checked; here they are read."""

    model = m.File
    fk_name = "paper"
    extra = 0
    fields = ["name", "file_name", "mime_type", "size", "public", "personnummer_scan"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class MailAttemptInline(admin.TabularInline):
    model = m.MailAttempt
    extra = 0
    can_delete = False
    readonly_fields = ["at", "delivered", "error"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(m.Paper)
class PaperAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "organ", "date", "case_officer"]
    list_filter = ["organ"]
    search_fields = ["reference", "name"]
    list_select_related = ["organ", "case_officer"]
    autocomplete_fields = ["case_officer"]
    inlines = [FileInline]


@admin.register(m.MeetingNotice)
class MeetingNoticeAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "posted_on"]
    list_select_related = ["meeting__organ"]
    raw_id_fields = ["meeting"]


@admin.register(m.OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    """The outbox, read-only: what was sent to whom and when, and why a message failed."""

    list_display = ["created_at", "to", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status"]
    search_fields = ["to", "subject"]
    readonly_fields = [f.name for f in m.OutgoingMail._meta.fields]
    inlines = [MailAttemptInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(m.RenderRequest)
class RenderRequestAdmin(admin.ModelAdmin):
    """The renders tasks were asked for, read-only, with why one failed; "Försök igen" queues a
    failed render anew once its cause is fixed."""

    list_display = ["key", "status", "attempts", "requested_at", "finished_at"]
    list_filter = ["status"]
    search_fields = ["key"]
    readonly_fields = [f.name for f in m.RenderRequest._meta.fields]
    actions = ["retry"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description="Försök igen")
    def retry(self, request, queryset) -> None:
        from .services import documents

        count = documents.retry_failed_renders(queryset)
        self.message_user(request, f"{count} rendering(ar) köades igen.")
