"""The attendance editor: one row per person, serving deputies and övriga added by their own forms."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.forms.models import BaseModelFormSet, modelformset_factory

from meetings import models as m
from meetings.services.register import persons_named

from .fields import (
    MAX_PARAGRAPH_NUMBER,
    TIME_WIDGET,
    OwnRowsMixin,
    ParagraphNumbersField,
    PersonChoiceField,
    PersonSelect,
    limit_people,
    numbers_text,
    person_label,
)

# Arrival and departure, by § (also one not written yet) and by time.
MOVEMENT_FIELDS = {"from_number", "arrived_at", "to_number", "left_at"}


class AttendanceForm(forms.ModelForm):
    """One person's row in the attendance editor; the fields depend on the kind of attendance."""

    sections = ParagraphNumbersField()

    class Meta:
        model = m.Attendance
        fields = ["absent", "role", "replaces", "title", "organisation", *sorted(MOVEMENT_FIELDS)]
        labels = {"from_number": "Ankom till §", "to_number": "Lämnade efter §"}
        widgets = {"arrived_at": TIME_WIDGET, "left_at": TIME_WIDGET}

    def __init__(
        self,
        *args,
        paragraphs: list[m.Paragraph],
        members: list[m.Attendance],
        first_free: int | None = None,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        kind = self.instance.kind
        self.fields["sections"].paragraphs = paragraphs
        self.fields["sections"].first_free = first_free
        if self.instance.pk:
            self.initial["sections"] = numbers_text(self.instance.paragraphs.all(), self.instance.pending)
        for name in ("from_number", "to_number"):
            self.fields[name].widget.attrs.update({"min": 1, "max": MAX_PARAGRAPH_NUMBER})
            self.fields[name].validators.append(MaxValueValidator(MAX_PARAGRAPH_NUMBER))
        keep = {"sections"}
        if kind != m.AttendanceKind.TJANSTGORANDE_ERSATTARE:
            keep |= MOVEMENT_FIELDS
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

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("from_number"), data.get("to_number")
        if start and end and end < start:
            self.add_error("to_number", "Avgången kan inte vara före ankomsten.")
        arrived, left = data.get("arrived_at"), data.get("left_at")
        if arrived and left and left <= arrived:
            self.add_error("left_at", "Avgången kan inte vara före ankomsten.")
        return data

    def clean_replaces(self) -> m.Person | None:
        replaces = self.cleaned_data.get("replaces")
        if replaces and replaces.pk == self.instance.person_id:
            raise ValidationError("En person kan inte ersätta sig själv.")
        return replaces


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


# Rows of one meeting's attendance: fullmäktige with every ersättare and övriga stays far below.
MAX_ATTENDANCE_ROWS = 500

AttendanceFormSet = modelformset_factory(
    m.Attendance,
    form=AttendanceForm,
    formset=BaseAttendanceFormSet,
    extra=0,
    can_delete=True,
    edit_only=True,
    max_num=MAX_ATTENDANCE_ROWS,
    absolute_max=MAX_ATTENDANCE_ROWS,
    validate_max=True,
)


class ServingDeputyForm(forms.Form):
    """A deputy (ersättare) who serves instead of a named member, for the whole meeting or some §§."""

    deputy = forms.ModelChoiceField(queryset=m.Person.objects.none(), label="Ersättare")
    replaces = forms.ModelChoiceField(queryset=m.Person.objects.none(), label="Tjänstgör för")
    sections = ParagraphNumbersField(label="Tjänstgör vid §§")

    def __init__(
        self,
        *args,
        attendances: list[m.Attendance],
        paragraphs: list[m.Paragraph],
        first_free: int | None = None,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        deputies = [a for a in attendances if a.kind == m.AttendanceKind.ERSATTARE]
        members = [a for a in attendances if a.kind == m.AttendanceKind.BESLUTANDE]
        limit_people(self.fields["deputy"], deputies)
        limit_people(self.fields["replaces"], members)
        for name in ("deputy", "replaces"):
            self.fields[name].widget.attrs.update(PersonSelect.PICKER)
        self.fields["sections"].paragraphs = paragraphs
        self.fields["sections"].first_free = first_free
        self.party_of = {a.person_id: a.party for a in attendances}

    def clean(self) -> dict:
        data = super().clean()
        if data.get("deputy") and data.get("deputy") == data.get("replaces"):
            raise ValidationError("En person kan inte ersätta sig själv.")
        return data


class GuestForm(forms.Form):
    """Övriga: officials and guests, with the §§ they attended. A person of the register is picked
    (so that no one is entered twice); a name typed that the register has exactly once is that
    person, any other name becomes a new person."""

    person = PersonChoiceField(required=False, label="Person i registret")
    name = forms.CharField(label="… eller namn", max_length=200, required=False)
    title = forms.CharField(label="Titel", max_length=200, required=False)
    organisation = forms.CharField(label="Organisation", max_length=200, required=False)
    sections = ParagraphNumbersField(label="Närvarande vid §§")

    def __init__(
        self,
        *args,
        paragraphs: list[m.Paragraph],
        attendances: list[m.Attendance] = (),
        first_free: int | None = None,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sections"].paragraphs = paragraphs
        self.fields["sections"].first_free = first_free
        self.present = {a.person_id for a in attendances}

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean(self) -> dict:
        data = super().clean()
        person, name = data.get("person"), data.get("name")
        if person is None and name:
            same = persons_named(name)
            person = same[0] if len(same) == 1 else None
        if person is None and not name:
            raise ValidationError("Välj en person i registret eller skriv ett namn.")
        if person is not None and person.pk in self.present:
            raise ValidationError(f"{person.name} finns redan i närvarolistan.")
        data["person"] = person
        if person is not None:
            data["name"] = person.name
            data["title"] = data.get("title") or person.title
            data["organisation"] = data.get("organisation") or person.organisation
        return data


class AdjournmentForm(forms.ModelForm):
    """An ajournering: from and to what time, and after which §."""

    class Meta:
        model = m.Adjournment
        fields = ["starts", "ends", "after_number"]
        widgets = {"starts": TIME_WIDGET, "ends": TIME_WIDGET}

    def __init__(self, *args, meeting: m.Meeting, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.fields["after_number"].widget.attrs.update({"min": 1, "max": MAX_PARAGRAPH_NUMBER})
        self.fields["after_number"].validators.append(MaxValueValidator(MAX_PARAGRAPH_NUMBER))

    def clean(self) -> dict:
        data = super().clean()
        starts, ends = data.get("starts"), data.get("ends")
        if starts and ends and ends <= starts:
            self.add_error("ends", "Ajourneringen måste sluta efter att den börjat.")
        meeting = self.meeting
        if starts and (starts <= meeting.start_time or (meeting.end_time and starts >= meeting.end_time)):
            self.add_error("starts", "Ajourneringen ska ligga mellan sammanträdets start- och sluttid.")
        return data


class MovementForm(forms.Form):
    """From the § editor: who came to the meeting at this §, who left after it."""

    arrived = forms.ModelChoiceField(
        queryset=m.Attendance.objects.none(), required=False, label="Kom till sammanträdet vid den här paragrafen"
    )
    left = forms.ModelChoiceField(
        queryset=m.Attendance.objects.none(), required=False, label="Lämnade sammanträdet efter den här paragrafen"
    )

    def __init__(self, *args, meeting: m.Meeting, present: list[m.Attendance], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        there = {a.pk for a in present}
        rows = [a for a in meeting.attendances.all() if a.kind != m.AttendanceKind.TJANSTGORANDE_ERSATTARE]
        away = [a for a in rows if a.pk not in there]
        staying = [a for a in rows if a.pk in there]
        for name, choices in (("arrived", away), ("left", staying)):
            self.fields[name].queryset = m.Attendance.objects.filter(pk__in=[a.pk for a in choices])
            self.fields[name].choices = [("", "---------"), *((a.pk, person_label(a)) for a in choices)]

    def clean(self) -> dict:
        data = super().clean()
        if not self.errors and not (data.get("arrived") or data.get("left")):
            raise ValidationError("Välj vem som kom eller gick.")
        return data
