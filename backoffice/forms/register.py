"""The secretary's register: persons, parties, an organ's seats and settings, and the import."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory

from meetings import models as m
from meetings.register_import import MAX_FILE_BYTES
from meetings.services.register import persons_named

from .fields import DATE_WIDGET, MAX_TEXT, BoundedFormSet, PersonChoiceField, check_year


def _clean_name(value: str) -> str:
    name = " ".join(value.split())
    if not name:
        raise ValidationError("Ange namn.")
    return name


def check_same_name(form: forms.Form, field: str, name: str, exclude: int | None = None) -> list[m.Person]:
    """Unless the form's ``same_name_confirmed`` says it is someone else, a name the register has
    already is an error on ``field``: the person is picked, not entered twice. Returns those persons."""
    if form.cleaned_data.get("same_name_confirmed"):
        return []
    same = persons_named(name, exclude=exclude)
    if same:
        labels = "; ".join(p.label for p in same)
        form.add_error(
            field,
            f"Registret har redan {labels}. Använd den personen, eller kryssa i att det är en annan person med "
            "samma namn.",
        )
    return same


class PersonForm(forms.ModelForm):
    """A person of the register. A name the register has already must be confirmed as someone else,
    so that a person is not entered twice."""

    same_name_confirmed = forms.BooleanField(
        required=False, label="Det är en annan person med samma namn", widget=forms.CheckboxInput
    )

    class Meta:
        model = m.Person
        fields = ["name", "party", "title", "organisation", "email"]
        help_texts = {
            "party": "För förtroendevalda.",
            "title": "För tjänstepersoner, t.ex. Kommunsekreterare.",
            "organisation": "För tjänstepersoner och gäster, t.ex. Kommunledningsförvaltningen.",
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = m.Party.objects.order_by("name")
        self.same_name: list[m.Person] = []

    def clean_name(self) -> str:
        return _clean_name(self.cleaned_data["name"])

    def clean(self) -> dict:
        data = super().clean()
        name = data.get("name")
        if name and (self.instance.pk is None or name != self.instance.name):
            self.same_name = check_same_name(self, "name", name, exclude=self.instance.pk)
        return data


class PartyForm(forms.ModelForm):
    class Meta:
        model = m.Party
        fields = ["name", "abbreviation"]
        help_texts = {"abbreviation": "T.ex. S, M, KD."}

    def clean_name(self) -> str:
        return _clean_name(self.cleaned_data["name"])

    def clean_abbreviation(self) -> str:
        abbreviation = self.cleaned_data["abbreviation"].strip()
        if not abbreviation:
            raise ValidationError("Ange förkortning.")
        return abbreviation


class MembershipForm(forms.ModelForm):
    """A seat in the organ: a person from the register, or a new one typed here."""

    person = PersonChoiceField(required=False, label="Person i registret")
    new_name = forms.CharField(
        required=False, max_length=200, label="… eller ny person: namn", help_text="Om personen inte finns i registret."
    )
    new_email = forms.EmailField(required=False, label="Den nya personens e-post")
    same_name_confirmed = forms.BooleanField(required=False, label="Det är en annan person med samma namn")

    class Meta:
        model = m.Membership
        fields = ["person", "role", "party", "start", "end"]
        widgets = {"start": DATE_WIDGET, "end": DATE_WIDGET}
        help_texts = {"party": "Tomt = personens parti.", "end": "Tomt = tills vidare."}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = m.Party.objects.order_by("name")
        self.same_name: list[m.Person] = []
        if self.instance.pk:
            for name in ("person", "new_name", "new_email", "same_name_confirmed"):
                del self.fields[name]

    def clean_start(self) -> datetime.date:
        return check_year(self.cleaned_data["start"])

    def clean_end(self) -> datetime.date | None:
        return check_year(self.cleaned_data.get("end"))

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "Slutdatum får inte vara före startdatum.")
        if self.instance.pk:
            return data
        name = " ".join((data.get("new_name") or "").split())
        data["new_name"] = name
        if data.get("person") and name:
            raise ValidationError("Välj en person i registret eller skriv en ny, inte båda.")
        if not data.get("person") and not name:
            self.add_error("person", "Välj en person i registret eller skriv namnet på en ny.")
        if name:
            self.same_name = check_same_name(self, "new_name", name)
        return data


class OrganSettingsForm(forms.ModelForm):
    class Meta:
        model = m.Organ
        fields = ["justerare_count", "kallelse_days"]


class StandingItemForm(forms.Form):
    name = forms.CharField(label="Rubrik", max_length=300, required=False)
    proposal = forms.CharField(label="Förslag till beslut", max_length=5000, required=False, widget=forms.TextInput)


StandingItemFormSet = formset_factory(
    StandingItemForm,
    formset=BoundedFormSet,
    extra=2,
    max_num=30,
    absolute_max=30,
    validate_max=True,
    can_delete=True,
)


class ImportForm(forms.Form):
    """The list to import, and the term of office for rows that lack dates."""

    file = forms.FileField(
        label="Fil med ledamöter och ersättare (CSV eller Excel .xlsx)",
        help_text="Kolumner: Namn, Parti, Roll, Från, Till (valfritt E-post). Första raden är rubriker.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )
    default_start = forms.DateField(
        required=False, label="Mandatperiodens start", widget=DATE_WIDGET, help_text="Används för rader utan Från."
    )
    default_end = forms.DateField(
        required=False, label="Mandatperiodens slut", widget=DATE_WIDGET, help_text="Används för rader utan Till."
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise ValidationError(f"Filen är för stor. Den får vara högst {MAX_FILE_BYTES // (1024 * 1024)} MB.")
        return upload

    def clean_default_start(self) -> datetime.date | None:
        return check_year(self.cleaned_data.get("default_start"))

    def clean_default_end(self) -> datetime.date | None:
        return check_year(self.cleaned_data.get("default_end"))


class ImportConfirmForm(forms.Form):
    """The preview's confirmation: the rows as read, signed, so that nothing but what was shown is stored."""

    payload = forms.CharField(widget=forms.HiddenInput, max_length=MAX_TEXT * 50)
