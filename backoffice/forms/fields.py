"""Fields and helpers shared by the back office's forms.

Every form that edits a meeting or a paragraph carries the ``version`` it was loaded with
(``version_field``), so that the save can be refused when it would land on top of someone else's
(optimistic locking, ``meetings.services.drafting``). Choices of people are always limited to the
meeting's own attendances (``limit_people``), so an id from another meeting is refused like any
other invalid choice.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.forms.formsets import TOTAL_FORM_COUNT

from meetings import models as m

# Long free texts (summary, beslutsunderlag, …) are bounded so that one paragraph cannot grow
# without limit; the request itself is bounded by DATA_UPLOAD_MAX_MEMORY_SIZE.
MAX_TEXT = 20000
MAX_PARAGRAPH_NUMBER = 99999
EARLIEST_YEAR = 2000
LATEST_YEAR = 2100

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def version_field(required: bool = True) -> forms.IntegerField:
    """The hidden version of the meeting or paragraph the page was loaded with."""
    return forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1, required=required)


def model_fields(form: forms.ModelForm) -> list[str]:
    """The model fields a validated model form has set on its instance, for ``save(update_fields=…)``."""
    return [name for name in form._meta.fields if name in form.fields]


class VersionForm(forms.Form):
    """A form that carries nothing but the version (deleting, and the attendance page's actions)."""

    version = version_field()


class SearchForm(forms.Form):
    """A list's search box: whitespace collapsed and the query cut to MAX_QUERY characters (a
    longer one is not refused, only shortened); a NUL character, which PostgreSQL cannot compare,
    is refused with a message."""

    MAX_QUERY = 100

    q = forms.CharField(label="Sök", required=False, strip=False)

    def clean_q(self) -> str:
        return " ".join(self.cleaned_data["q"].split())[: self.MAX_QUERY]

    def query(self) -> str:
        """The query to search for ("" when the form was refused)."""
        return self.cleaned_data["q"] if self.is_valid() else ""


def form_errors(form: forms.Form) -> str:
    """A refused form's errors as one message, each after its field's label (for views that answer
    with a message rather than the form)."""
    return " ".join(
        f"{form.fields[name].label}: {error}" if name in form.fields else error
        for name, errors in form.errors.items()
        for error in errors
    )


def check_recipient_lines(text: str) -> None:
    """Each line under "Beslutet skickas till" is a recipient of the expediering, stored by name."""
    limit = m.Recipient._meta.get_field("name").max_length
    if any(len(line.strip()) > limit for line in text.splitlines()):
        raise ValidationError(f"En mottagare får ha högst {limit} tecken; skriv en mottagare per rad.")


def check_year(day: datetime.date | None) -> datetime.date | None:
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


class PersonSelect(forms.Select):
    """A person picker: a plain select that static/js/person-picker.js gives a search box (by name);
    without script it is an ordinary list. ``PICKER`` turns any person select into one."""

    PICKER = {"data-person-picker": ""}

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__({**self.PICKER, **(attrs or {})})


class PersonChoiceField(forms.ModelChoiceField):
    """A person from the register, named so that two of the same name can be told apart
    (``Person.label``). Everywhere a person is chosen from the register, so no one is typed twice."""

    widget = PersonSelect

    def __init__(self, queryset=None, **kwargs) -> None:
        kwargs.setdefault("label", "Person")
        super().__init__(queryset if queryset is not None else register_people(), **kwargs)

    def label_from_instance(self, obj: m.Person) -> str:
        return obj.label


def register_people():
    """Everyone in the register, in name order, with what their labels read (one query)."""
    return m.Person.objects.select_related("party").order_by("name", "pk")


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


# How far beyond the organ's next free number a § that does not exist yet may be named.
MAX_PENDING_AHEAD = 500


@dataclass(frozen=True)
class Sections:
    """The §§ a row covers: those that exist, and the numbers of those still to be created
    (``Attendance.pending_numbers``). Both empty means the whole meeting."""

    paragraphs: list[m.Paragraph] = field(default_factory=list)
    pending: list[int] = field(default_factory=list)

    @property
    def pending_text(self) -> str:
        return " ".join(str(n) for n in self.pending)


class ParagraphNumbersField(forms.CharField):
    """The §§ of this meeting at which someone was present (or served); empty = the whole meeting.

    A number not in the meeting is accepted as a § still to be written when no § of the organ's
    series for the year has it yet (``first_free`` is the series' next free number): a row can be
    entered during the meeting before its § exists. Any other unknown number is a typing error.
    """

    def __init__(self, *args, **kwargs) -> None:
        self.paragraphs: list[m.Paragraph] = []
        self.first_free: int | None = None
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 500)
        kwargs.setdefault("label", "Endast vid §§")
        kwargs.setdefault(
            "help_text", "Tomt = hela sammanträdet. T.ex. 12–15, 18. Paragrafer som inte finns än går bra."
        )
        super().__init__(*args, **kwargs)

    def clean(self, value: str) -> Sections:
        text = super().clean(value)
        by_number = {p.number: p for p in self.paragraphs}
        numbers = list(dict.fromkeys(parse_numbers(text)))
        first_free = self.first_free
        ahead = [n for n in numbers if n not in by_number and first_free is not None]
        ahead = [n for n in ahead if first_free <= n < first_free + MAX_PENDING_AHEAD]
        unknown = sorted({n for n in numbers if n not in by_number} - set(ahead))
        if unknown:
            shown = ", ".join(str(n) for n in unknown[:5])
            raise ValidationError(f"Sammanträdet har ingen § {shown}, och numret är redan använt eller orimligt.")
        return Sections([by_number[n] for n in numbers if n in by_number], sorted(ahead))


def numbers_text(paragraphs: Iterable[m.Paragraph], pending: Iterable[int] = ()) -> str:
    return ", ".join(str(n) for n in sorted([p.number for p in paragraphs] + list(pending)))


class BoundedFormSetMixin:
    """Django builds min(TOTAL_FORMS, absolute_max) forms before it checks their number, so a posted
    TOTAL_FORMS of a million cost seconds of work per request. A formset that posts more rows than
    ``absolute_max`` is refused (Django's check in full_clean) and builds no form beyond its saved
    rows. Set ``absolute_max`` to ``max_num`` in the factory."""

    default_error_messages = {
        "too_many_forms": "Formuläret har för många rader (högst %(num)d). Ladda om sidan och försök igen.",
        "missing_management_form": "Formuläret är ofullständigt. Ladda om sidan och försök igen.",
    }

    def total_form_count(self) -> int:
        if self.is_bound and self.management_form.cleaned_data[TOTAL_FORM_COUNT] > self.absolute_max:
            return min(self.initial_form_count(), self.absolute_max)
        return super().total_form_count()


class BoundedFormSet(BoundedFormSetMixin, forms.BaseFormSet):
    """A plain formset with the bound of ``BoundedFormSetMixin``."""


class OwnRowsMixin(BoundedFormSetMixin):
    """The rows a model formset edits are its queryset's, whatever the request says.

    - How many rows exist is the database's count, never the posted INITIAL_FORMS: a form that says
      0 would have turned every existing row into a new copy (8 att-satser became 16). Each of those
      forms must name one of the rows by its id (Django makes the id required there).
    - Django accepts any row's id in the hidden id field (and would then save the posted values as a
      new row), and the same id in two forms (the last one silently wins). The ids are limited to
      the formset's own rows, each at most once."""

    def initial_form_count(self) -> int:
        return len(self.get_queryset())

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        pk_name = self.model._meta.pk.name
        if pk_name in form.fields:
            form.fields[pk_name].queryset = self.get_queryset()

    def clean(self) -> None:
        super().clean()
        # The ids as posted, also in forms beyond the saved rows (whose instance Django leaves new).
        pk_name = self.model._meta.pk.name
        posted = [getattr(form, "cleaned_data", {}).get(pk_name) for form in self.forms]
        ids = [row.pk for row in posted if row is not None]
        if len(ids) != len(set(ids)):
            raise ValidationError("En rad finns två gånger i formuläret. Ladda om sidan och försök igen.")
