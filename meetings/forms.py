"""Forms of the drafting views. They validate (in Swedish); the views assign and save.

Every form that edits a meeting or a paragraph carries the ``version`` it was loaded with, so that
the view can refuse a save made on top of someone else's (optimistic locking, see
``views.drafting``). Choices of people are always limited to the meeting's own attendances, so an id
from another meeting is refused like any other invalid choice.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator
from django.forms.models import BaseInlineFormSet, BaseModelFormSet, inlineformset_factory, modelformset_factory

from . import models as m

# Long free texts (summary, beslutsunderlag, …) are bounded so that one paragraph cannot grow
# without limit; the request itself is bounded by DATA_UPLOAD_MAX_MEMORY_SIZE.
MAX_TEXT = 20000
MAX_PARAGRAPH_NUMBER = 99999
EARLIEST_YEAR = 2000
LATEST_YEAR = 2100

# Attendances that take part in decisions (a plain ersättare attends without serving).
SERVING_KINDS = (m.AttendanceKind.BESLUTANDE, m.AttendanceKind.TJANSTGORANDE_ERSATTARE)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class VersionForm(forms.Form):
    """The version of the meeting or paragraph the page was loaded with."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)


def _check_year(day: datetime.date | None) -> datetime.date | None:
    if day is not None and not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        raise ValidationError(f"Ange ett datum mellan år {EARLIEST_YEAR} och {LATEST_YEAR}.")
    return day


def person_label(attendance: m.Attendance) -> str:
    party = f" ({attendance.party.abbreviation})" if attendance.party_id else ""
    return f"{attendance.person.name}{party}"


def person_choices(attendances: Iterable[m.Attendance], blank: bool = True) -> list[tuple[object, str]]:
    """Choices computed once per page instead of one query per select in a formset."""
    seen: set[int] = set()
    choices: list[tuple[object, str]] = [("", "---------")] if blank else []
    for a in attendances:
        if a.person_id not in seen:
            seen.add(a.person_id)
            choices.append((a.person_id, person_label(a)))
    return choices


def limit_people(field: forms.ModelChoiceField, attendances: list[m.Attendance], blank: bool = True) -> None:
    """Limit a person field to the given attendances (validation and rendering)."""
    field.queryset = m.Person.objects.filter(pk__in=[a.person_id for a in attendances])
    field.choices = person_choices(attendances, blank=blank)


# ---------------------------------------------------------------------------------------------------
# §§ typed as text: "12–15, 18"
# ---------------------------------------------------------------------------------------------------

_RANGE = re.compile(r"^(\d{1,6})(?:-(\d{1,6}))?$")


def parse_numbers(text: str) -> list[int]:
    """ "12–15, 18" → [12, 13, 14, 15, 18]. Raises ValidationError on anything else."""
    numbers: list[int] = []
    text = re.sub(r"\s*[-–—]\s*", "-", text.replace("§", ""))
    for part in re.split(r"[,;\s]+", text.strip()):
        if not part:
            continue
        match = _RANGE.match(part)
        if not match:
            raise ValidationError(f"Förstår inte ”{part[:20]}”. Skriv paragrafnummer, t.ex. 12–15, 18.")
        low = int(match.group(1))
        high = int(match.group(2) or low)
        if high < low or high - low > 1000:
            raise ValidationError(f"Intervallet {low}–{high} är inte giltigt.")
        numbers.extend(range(low, high + 1))
    return numbers


class ParagraphNumbersField(forms.CharField):
    """The §§ of this meeting at which someone was present (or served); empty = the whole meeting."""

    def __init__(self, *args, **kwargs) -> None:
        self.paragraphs: list[m.Paragraph] = []
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 500)
        kwargs.setdefault("label", "Endast vid §§")
        kwargs.setdefault("help_text", "Tomt = hela sammanträdet. T.ex. 12–15, 18.")
        super().__init__(*args, **kwargs)

    def clean(self, value: str) -> list[m.Paragraph]:
        text = super().clean(value)
        by_number = {p.number: p for p in self.paragraphs}
        numbers = parse_numbers(text)
        unknown = sorted({n for n in numbers if n not in by_number})
        if unknown:
            shown = ", ".join(str(n) for n in unknown[:5])
            raise ValidationError(f"Sammanträdet har ingen § {shown}.")
        return [by_number[n] for n in dict.fromkeys(numbers)]


def numbers_text(paragraphs: Iterable[m.Paragraph]) -> str:
    return ", ".join(str(n) for n in sorted(p.number for p in paragraphs))


# ---------------------------------------------------------------------------------------------------
# Meeting
# ---------------------------------------------------------------------------------------------------


class MeetingFieldsMixin:
    """Validation shared by creating and editing a meeting."""

    def clean_date(self) -> datetime.date:
        return _check_year(self.cleaned_data["date"])

    def clean_justering_date(self) -> datetime.date | None:
        return _check_year(self.cleaned_data.get("justering_date"))

    def clean_place(self) -> str:
        place = self.cleaned_data["place"].strip()
        if not place:
            raise ValidationError("Ange plats.")
        return place

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", "Sluttiden måste vara efter starttiden.")
        day, justering_day = data.get("date"), data.get("justering_date")
        if day and justering_day and justering_day < day:
            self.add_error("justering_date", "Justeringen kan inte ske före sammanträdet.")
        return data


class MeetingCreateForm(MeetingFieldsMixin, forms.ModelForm):
    class Meta:
        model = m.Meeting
        fields = ["organ", "date", "start_time", "end_time", "place", "diarienummer"]
        widgets = {"date": DATE_WIDGET, "start_time": TIME_WIDGET, "end_time": TIME_WIDGET}

    def __init__(self, *args, organs=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organ"].queryset = organs if organs is not None else m.Organ.objects.none()
        self.fields["organ"].empty_label = None


class MeetingForm(MeetingFieldsMixin, forms.ModelForm):
    """Editing a meeting: its facts and who holds which role, picked among those present."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)

    class Meta:
        model = m.Meeting
        fields = [
            "date",
            "start_time",
            "end_time",
            "place",
            "diarienummer",
            "secretary",
            "chair",
            "justerare_1",
            "justerare_2",
            "justering_place",
            "justering_date",
            "justering_time",
        ]
        widgets = {
            "date": DATE_WIDGET,
            "start_time": TIME_WIDGET,
            "end_time": TIME_WIDGET,
            "justering_date": DATE_WIDGET,
            "justering_time": TIME_WIDGET,
        }

    def __init__(self, *args, secretaries: Iterable[m.Person] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        meeting: m.Meeting = self.instance
        self.initial.setdefault("version", meeting.version)
        present = [a for a in meeting.attendances.all() if not a.absent]
        # Chair and justerare are among those who decide: members and deputies who serve, not
        # ersättare who only attend.
        serving = [a for a in present if a.kind in SERVING_KINDS]
        for name in ("chair", "justerare_1", "justerare_2"):
            limit_people(self.fields[name], serving)
        # The secretary is usually an official (övrig) or one of the organ's secretaries.
        secretary_field = self.fields["secretary"]
        officials = [a for a in present if a.kind == m.AttendanceKind.OVRIG]
        people = {p.pk: p.name for p in secretaries}
        people.update({a.person_id: a.person.name for a in officials})
        secretary_field.queryset = m.Person.objects.filter(pk__in=people)
        secretary_field.choices = [("", "---------"), *people.items()]
        if meeting.organ.justerare_count < 2:
            del self.fields["justerare_2"]
        else:
            self.fields["justerare_1"].label = "Första justerare"

    def clean_date(self) -> datetime.date:
        day = super().clean_date()
        # A paragraph's number belongs to the organ's series for the meeting's year.
        if day.year != self.instance.date.year and self.instance.paragraphs.exists():
            raise ValidationError("Sammanträdet har paragrafer och kan inte flyttas till ett annat år.")
        return day

    def clean(self) -> dict:
        data = super().clean()
        first, second = data.get("justerare_1"), data.get("justerare_2")
        if first and second and first == second:
            self.add_error("justerare_2", "Samma person kan inte vara justerare två gånger.")
        chair = data.get("chair")
        if chair and chair in (first, second):
            self.add_error("chair", "Ordföranden justerar redan protokollet och kan inte också vara justerare.")
        return data


# ---------------------------------------------------------------------------------------------------
# Attendance
# ---------------------------------------------------------------------------------------------------


class AttendanceForm(forms.ModelForm):
    """One person's row in the attendance editor; the fields depend on the kind of attendance."""

    sections = ParagraphNumbersField()

    class Meta:
        model = m.Attendance
        fields = ["absent", "role", "replaces", "title", "organisation"]

    def __init__(self, *args, paragraphs: list[m.Paragraph], members: list[m.Attendance], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        kind = self.instance.kind
        self.fields["sections"].paragraphs = paragraphs
        if self.instance.pk:
            self.initial["sections"] = numbers_text(self.instance.paragraphs.all())
        keep = {"sections"}
        if kind == m.AttendanceKind.BESLUTANDE:
            keep |= {"absent", "role"}
            self.fields["sections"].label = "Närvarande endast vid §§"
            self.fields["sections"].help_text = "Ankomst eller avgång under mötet. Tomt = hela sammanträdet."
        elif kind == m.AttendanceKind.TJANSTGORANDE_ERSATTARE:
            keep |= {"replaces"}
            self.fields["sections"].label = "Tjänstgör vid §§"
            self.fields["replaces"].required = True
            limit_people(self.fields["replaces"], members)
        elif kind == m.AttendanceKind.ERSATTARE:
            keep |= {"absent"}
            self.fields["sections"].label = "Närvarande endast vid §§"
        else:
            keep |= {"absent", "title", "organisation"}
            self.fields["sections"].label = "Närvarande vid §§"
        for name in list(self.fields):
            if name not in keep and name not in ("DELETE", "id"):
                del self.fields[name]

    @property
    def heading(self) -> str:
        label = person_label(self.instance)
        if self.instance.kind == m.AttendanceKind.BESLUTANDE and self.instance.role:
            return f"{label}, {self.instance.role}"
        return label

    def clean_replaces(self) -> m.Person | None:
        replaces = self.cleaned_data.get("replaces")
        if replaces and replaces.pk == self.instance.person_id:
            raise ValidationError("En person kan inte ersätta sig själv.")
        return replaces


class OwnRowsMixin:
    """Django accepts any row's id in a model formset's hidden id field (and would then save the
    posted values as a new row), and the same id in two forms (the last one silently wins). Limit
    the ids to the formset's own rows, each at most once."""

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        pk_name = self.model._meta.pk.name
        if pk_name in form.fields:
            form.fields[pk_name].queryset = self.get_queryset()

    def clean(self) -> None:
        super().clean()
        ids = [form.instance.pk for form in self.forms if form.instance.pk is not None]
        if len(ids) != len(set(ids)):
            raise ValidationError("En rad finns två gånger i formuläret. Ladda om sidan och försök igen.")


class BaseAttendanceFormSet(OwnRowsMixin, BaseModelFormSet):
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        # Members come from the organ's memberships and are marked absent, never removed; those
        # added by hand (serving deputies, övriga) can be removed again.
        if form.instance.kind in (m.AttendanceKind.BESLUTANDE, m.AttendanceKind.ERSATTARE):
            form.fields.pop("DELETE", None)
        elif "DELETE" in form.fields:
            form.fields["DELETE"].label = "Ta bort"

    def clean(self) -> None:
        super().clean()
        # Rows are added by the forms for serving deputies and övriga, which fill in the meeting
        # and the kind; a row added here by raising TOTAL_FORMS would have neither (edit_only only
        # keeps formset.save() from saving it, and the view saves form by form).
        if self.total_form_count() > self.initial_form_count():
            raise ValidationError("Närvarolistan kan inte få nya rader här. Ladda om sidan och försök igen.")


AttendanceFormSet = modelformset_factory(
    m.Attendance, form=AttendanceForm, formset=BaseAttendanceFormSet, extra=0, can_delete=True, edit_only=True
)


class ServingDeputyForm(forms.Form):
    """A deputy (ersättare) who serves instead of a named member, for the whole meeting or some §§."""

    deputy = forms.ModelChoiceField(queryset=m.Person.objects.none(), label="Ersättare")
    replaces = forms.ModelChoiceField(queryset=m.Person.objects.none(), label="Tjänstgör för")
    sections = ParagraphNumbersField(label="Tjänstgör vid §§")

    def __init__(self, *args, attendances: list[m.Attendance], paragraphs: list[m.Paragraph], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        deputies = [a for a in attendances if a.kind == m.AttendanceKind.ERSATTARE]
        members = [a for a in attendances if a.kind == m.AttendanceKind.BESLUTANDE]
        limit_people(self.fields["deputy"], deputies)
        limit_people(self.fields["replaces"], members)
        self.fields["sections"].paragraphs = paragraphs
        self.party_of = {a.person_id: a.party for a in attendances}

    def clean(self) -> dict:
        data = super().clean()
        if data.get("deputy") and data.get("deputy") == data.get("replaces"):
            raise ValidationError("En person kan inte ersätta sig själv.")
        return data


class GuestForm(forms.Form):
    """Övriga: officials and guests, with the §§ they attended."""

    name = forms.CharField(label="Namn", max_length=200)
    title = forms.CharField(label="Titel", max_length=200, required=False)
    organisation = forms.CharField(label="Organisation", max_length=200, required=False)
    sections = ParagraphNumbersField(label="Närvarande vid §§")

    def __init__(self, *args, paragraphs: list[m.Paragraph], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sections"].paragraphs = paragraphs

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise ValidationError("Ange namn.")
        return name


# ---------------------------------------------------------------------------------------------------
# Paragraph
# ---------------------------------------------------------------------------------------------------


class ParagraphForm(forms.ModelForm):
    """The paragraph's own fields. On creation the number may be left empty for the next free one."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1, required=False)

    class Meta:
        model = m.Paragraph
        fields = [
            "number",
            "title",
            "dnr",
            "secret",
            "immediate_justering",
            "summary",
            "basis",
            "proposal",
            "decision_intro",
            "decision_text",
            "proposition_order",
            "recipients",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "basis": forms.Textarea(attrs={"rows": 3}),
            "proposal": forms.Textarea(attrs={"rows": 4}),
            "decision_text": forms.Textarea(attrs={"rows": 2}),
            "proposition_order": forms.Textarea(attrs={"rows": 3}),
            "recipients": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, meeting: m.Meeting, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        number = self.fields["number"]
        number.max_value = MAX_PARAGRAPH_NUMBER
        number.validators.append(MaxValueValidator(MAX_PARAGRAPH_NUMBER))
        number.widget.attrs["max"] = MAX_PARAGRAPH_NUMBER
        for name in ("summary", "basis", "proposal", "decision_text", "proposition_order", "recipients"):
            self.fields[name].max_length = MAX_TEXT
            self.fields[name].widget.attrs["maxlength"] = MAX_TEXT
            self.fields[name].validators.append(MaxLengthValidator(MAX_TEXT))
        self.fields["decision_intro"].help_text = f"Tomt = ”{meeting.organ.decision_intro}”."
        if self.instance.pk:
            self.initial.setdefault("version", self.instance.version)
            self.fields["version"].required = True
        else:
            number.required = False
            number.help_text = "Tomt = nästa lediga nummer i organets nummerserie."
        if meeting.organ.dnr_required:
            self.fields["dnr"].required = True
            self.fields["dnr"].help_text = "Krävs för det här organet."

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise ValidationError("Ange en rubrik.")
        return title

    def clean_dnr(self) -> str:
        dnr = self.cleaned_data["dnr"].strip()
        if self.meeting.organ.dnr_required and not dnr:
            raise ValidationError("Ange diarienummer; det krävs för det här organet.")
        return dnr

    def clean_number(self) -> int | None:
        number = self.cleaned_data.get("number")
        if number is None:
            return None
        clash = m.Paragraph.objects.filter(
            organ_id=self.meeting.organ_id, year=self.meeting.date.year, number=number
        ).exclude(pk=self.instance.pk)
        if clash.exists():
            raise ValidationError(
                f"§ {number} finns redan i {self.meeting.organ.short_name}s nummerserie för {self.meeting.date.year}."
            )
        return number


class ClauseForm(forms.ModelForm):
    class Meta:
        model = m.DecisionClause
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}
        labels = {"text": "Att-sats"}
        help_texts = {"text": "T.ex. ”att lägga informationen till handlingarna.”"}


class MotionForm(forms.ModelForm):
    class Meta:
        model = m.Motion
        fields = ["person", "kind", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}


class ReservationForm(forms.ModelForm):
    class Meta:
        model = m.Reservation
        fields = ["persons", "motivation"]
        widgets = {"persons": forms.CheckboxSelectMultiple, "motivation": forms.Textarea(attrs={"rows": 2})}


class NoteForm(forms.ModelForm):
    class Meta:
        model = m.ProtocolNote
        fields = ["kind", "person", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}


class RecusalForm(forms.ModelForm):
    class Meta:
        model = m.Recusal
        fields = ["person", "substitute"]

    def clean(self) -> dict:
        data = super().clean()
        if data.get("substitute") and data.get("substitute") == data.get("person"):
            self.add_error("substitute", "Den jäviga ledamoten kan inte ersätta sig själv.")
        return data


class BasePeopleFormSet(OwnRowsMixin, BaseInlineFormSet):
    """An inline formset whose person fields are limited to the meeting's attendances."""

    people_fields: dict[str, str] = {}
    ordered = True

    def __init__(self, *args, people: dict[str, list[m.Attendance]], **kwargs) -> None:
        self.people = people
        super().__init__(*args, **kwargs)

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        for field_name, group in self.people_fields.items():
            field = form.fields[field_name]
            # A single select always starts blank: a preselected first person would turn an
            # untouched extra row into a saved one.
            limit_people(field, self.people[group], blank=not isinstance(field, forms.ModelMultipleChoiceField))
        if "ORDER" in form.fields:
            form.fields["ORDER"].label = "Ordning"
            form.fields["ORDER"].widget.attrs.update({"min": 1, "max": 999})
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Ta bort"

    def save_ordered(self) -> None:
        """Save additions, changes, deletions and the order typed in the ORDER fields."""
        for form in self.deleted_forms:
            if form.instance.pk:
                form.instance.delete()
        position = 0
        for form in self.ordered_forms if self.ordered else self.forms:
            if form in self.deleted_forms or (form.instance.pk is None and not form.has_changed()):
                continue
            position += 1
            moved = getattr(form.instance, "position", position) != position
            if form.has_changed() or moved:
                obj = form.save(commit=False)
                if hasattr(obj, "position"):
                    obj.position = position
                obj.save()
                form.save_m2m()


def _section_formset(model: type, form: type, people_fields: dict[str, str], ordered: bool, extra: int = 1):
    base = type(
        f"{model.__name__}FormSetBase",
        (BasePeopleFormSet,),
        {"people_fields": people_fields, "ordered": ordered},
    )
    return inlineformset_factory(
        m.Paragraph,
        model,
        form=form,
        formset=base,
        extra=extra,
        can_delete=True,
        can_order=ordered,
        max_num=200,
        validate_max=True,
    )


ClauseFormSet = _section_formset(m.DecisionClause, ClauseForm, {}, ordered=True, extra=2)
# The groups of people are those of views.drafting._people_at.
MotionFormSet = _section_formset(m.Motion, MotionForm, {"person": "voters"}, ordered=True)
ReservationFormSet = _section_formset(m.Reservation, ReservationForm, {"persons": "voters"}, ordered=False)
NoteFormSet = _section_formset(m.ProtocolNote, NoteForm, {"person": "present"}, ordered=False)
RecusalFormSet = _section_formset(
    m.Recusal, RecusalForm, {"person": "serving", "substitute": "deputies"}, ordered=False
)

# key: (heading, what one row is called, formset)
SECTION_FORMSETS = {
    "clauses": ("Beslut: att-satser", "Att-sats", ClauseFormSet),
    "motions": ("Yrkanden", "Yrkande", MotionFormSet),
    "reservations": ("Reservationer", "Reservation", ReservationFormSet),
    "notes": ("Protokollsanteckningar och särskilda yttranden", "Anteckning", NoteFormSet),
    "recusals": ("Jäv", "Jäv", RecusalFormSet),
}


# ---------------------------------------------------------------------------------------------------
# Roll-call vote
# ---------------------------------------------------------------------------------------------------


class VoteForm(forms.ModelForm):
    """An omröstning: what Ja and Nej mean, and one choice per member in the roll-call grid."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)

    class Meta:
        model = m.Vote
        fields = ["ja_means", "nej_means"]

    def __init__(self, *args, voters: list[m.Attendance], casts: dict[int, str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.voters = voters
        for a in voters:
            self.fields[self.cast_field(a.person_id)] = forms.ChoiceField(
                label=person_label(a),
                choices=m.VoteChoice.choices,
                required=False,
                widget=forms.RadioSelect,
                initial=casts.get(a.person_id),
            )

    @staticmethod
    def cast_field(person_id: int) -> str:
        return f"cast_{person_id}"

    def rows(self) -> list[tuple[m.Attendance, forms.BoundField]]:
        return [(a, self[self.cast_field(a.person_id)]) for a in self.voters]

    def choices_by_person(self) -> dict[int, str]:
        chosen = {}
        for a in self.voters:
            value = self.cleaned_data.get(self.cast_field(a.person_id))
            if value:
                chosen[a.person_id] = value
        return chosen

    def clean(self) -> dict:
        data = super().clean()
        if not self.errors and not self.choices_by_person():
            raise ValidationError("Ange hur minst en ledamot röstade.")
        return data
