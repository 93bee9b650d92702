"""Ärenden, their handlingar and a §'s bilagor, and the föredragningslista."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import MaxLengthValidator
from django.db.models import QuerySet

from meetings import models as m
from meetings.uploads import ACCEPT, ACCEPTED_TEXT, CheckedUpload, UploadRefused, check_upload, max_bytes, size_text

from .fields import DATE_WIDGET, MAX_TEXT, PersonChoiceField, check_year, version_field


def _clean_title(value: str, what: str = "rubrik") -> str:
    title = " ".join(value.split())
    if not title:
        raise ValidationError(f"Ange {what}.")
    return title


class PaperForm(forms.ModelForm):
    """An ärende: creating one (organ chosen among the user's) or editing it (with its version)."""

    case_officer = PersonChoiceField(required=False, label="Handläggare")
    version = version_field(required=False)

    class Meta:
        model = m.Paper
        fields = ["organ", "reference", "name", "date", "case_officer", "description", "proposal"]
        widgets = {
            "date": DATE_WIDGET,
            "description": forms.Textarea(attrs={"rows": 4}),
            "proposal": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, organs: QuerySet[m.Organ], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("description", "proposal"):
            self.fields[name].validators.append(MaxLengthValidator(MAX_TEXT))
        if self.instance.pk:
            del self.fields["organ"]
            self.initial.setdefault("version", self.instance.version)
            self.fields["version"].required = True
        else:
            del self.fields["version"]
            self.fields["organ"].queryset = organs
            self.fields["organ"].empty_label = None

    def clean_name(self) -> str:
        return _clean_title(self.cleaned_data["name"])

    def clean_reference(self) -> str:
        return " ".join(self.cleaned_data["reference"].split())

    def clean_date(self) -> datetime.date:
        return check_year(self.cleaned_data["date"])


class FileUploadForm(forms.Form):
    """A handling or a bilaga: its title, whether it is public, and the file. The file's type and
    size are checked from its content (``meetings.uploads``); ``checked`` holds the result."""

    name = forms.CharField(label="Titel", max_length=300, help_text="T.ex. Tjänsteskrivelse 2026-04-01.")
    public = forms.BooleanField(
        required=False,
        label="Offentlig",
        help_text="Får visas för allmänheten. Lämna tom för handlingar med sekretess.",
    )
    file = forms.FileField(label="Fil")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ACCEPT
        self.fields["file"].help_text = f"{ACCEPTED_TEXT}, högst {size_text(max_bytes())}."
        self.checked: CheckedUpload | None = None

    def clean_name(self) -> str:
        return _clean_title(self.cleaned_data["name"], "titel")

    def file_fields(self) -> dict:
        """What ``meetings.services.papers`` stores: the file, its check, title and whether public."""
        data = self.cleaned_data
        return {"upload": data["file"], "checked": self.checked, "name": data["name"], "public": data["public"]}

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        try:
            self.checked = check_upload(upload)
        except UploadRefused as refused:
            raise ValidationError(str(refused)) from refused
        return upload


class FileEditForm(forms.ModelForm):
    version = version_field()

    class Meta:
        model = m.File
        fields = ["name", "public"]

    def __init__(self, *args, locked: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("version", self.instance.version)
        if locked:
            # A bilaga of a justerat protokoll: only whether the public may see it can change.
            del self.fields["name"]

    def clean_name(self) -> str:
        return _clean_title(self.cleaned_data["name"], "titel")


class AgendaPaperForm(forms.Form):
    """Put one of the user's ärenden on the agenda."""

    paper = forms.ModelChoiceField(queryset=m.Paper.objects.none(), label="Ärende")

    def __init__(self, *args, papers: QuerySet[m.Paper], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["paper"].queryset = papers
        self.fields["paper"].empty_label = "Välj ärende"


class AgendaFreeItemForm(forms.Form):
    """A point without an ärende."""

    name = forms.CharField(label="Rubrik", max_length=300, help_text="T.ex. Informationsärenden.")
    proposal = forms.CharField(
        label="Förslag till beslut", required=False, max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_name(self) -> str:
        return _clean_title(self.cleaned_data["name"])


class AgendaItemForm(forms.ModelForm):
    version = version_field()

    class Meta:
        model = m.AgendaItem
        fields = ["name", "proposal", "public"]
        widgets = {"proposal": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("version", self.instance.version)
        self.fields["proposal"].validators.append(MaxLengthValidator(MAX_TEXT))

    def clean_name(self) -> str:
        return _clean_title(self.cleaned_data["name"])


class NoticeForm(forms.Form):
    posted_on = forms.DateField(label="Sätts upp", widget=DATE_WIDGET)

    def clean_posted_on(self) -> datetime.date:
        return check_year(self.cleaned_data["posted_on"])
