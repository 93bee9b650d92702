"""Admin for the reference data (organs, parties, persons, memberships, users and their roles).

Meeting data is written in the drafting views; the admin shows it with its history for support.
"""

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
    list_display = ["name", "short_name", "diarium_prefix", "justerare_count", "storage_location"]
    search_fields = ["name", "short_name"]
    filter_horizontal = ["secretaries"]
    inlines = [MembershipInline]


@admin.register(m.Party)
class PartyAdmin(admin.ModelAdmin):
    list_display = ["name", "abbreviation"]
    search_fields = ["name", "abbreviation"]


@admin.register(m.Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "organisation", "user"]
    search_fields = ["name", "title", "organisation"]
    autocomplete_fields = ["user"]
    inlines = [MembershipInline]


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
