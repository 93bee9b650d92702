"""Creating and editing a meeting."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django import forms
from django.core.exceptions import ValidationError

from meetings import models as m

from .fields import DATE_WIDGET, TIME_WIDGET, PersonSelect, check_year, limit_people, version_field


class MeetingFieldsMixin:
    """Validation shared by creating and editing a meeting."""

    def clean_date(self) -> datetime.date:
        return check_year(self.cleaned_data["date"])

    def clean_justering_date(self) -> datetime.date | None:
        return check_year(self.cleaned_data.get("justering_date"))

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

    version = version_field()

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
        serving = [a for a in present if a.kind in m.SERVING_KINDS]
        for name in ("chair", "justerare_1", "justerare_2"):
            limit_people(self.fields[name], serving)
        # The secretary is usually an official (övrig) or one of the organ's secretaries.
        secretary_field = self.fields["secretary"]
        officials = [a for a in present if a.kind == m.AttendanceKind.OVRIG]
        people = {p.pk: p.name for p in secretaries}
        people.update({a.person_id: a.person.name for a in officials})
        secretary_field.queryset = m.Person.objects.filter(pk__in=people)
        secretary_field.choices = [("", "---------"), *people.items()]
        for name in ("secretary", "chair", "justerare_1", "justerare_2"):
            self.fields[name].widget.attrs.update(PersonSelect.PICKER)
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
