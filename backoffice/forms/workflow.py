"""Forms of the steps after drafting: signing, sending back and rättelse. Their limits are the
model's (max_length of the column the text goes into), so a text too long or with a NUL character
gets a Swedish message instead of a database error."""

from __future__ import annotations

from django import forms
from django.core.validators import MaxLengthValidator
from django.db import models

from meetings import models as m

from .fields import MAX_TEXT, check_recipient_lines


def _limit(field: forms.CharField, max_length: int) -> None:
    field.max_length = max_length
    field.validators.append(MaxLengthValidator(max_length))
    field.widget.attrs["maxlength"] = max_length


class SignForm(forms.Form):
    """The password (when signing without e-legitimation) and the content hash the signer saw."""

    password = forms.CharField(
        label="Lösenord", required=False, strip=False, max_length=4096, widget=forms.PasswordInput
    )
    content_hash = forms.CharField(label="Innehållets kontrollsumma", required=False, max_length=64)


class SendBackForm(forms.Form):
    """A justerare's comment to the secretary when sending the protokoll back."""

    comment = forms.CharField(
        label="Kommentar till sekreteraren",
        max_length=m.Justering._meta.get_field("returned_comment").max_length,
        error_messages={"required": "Skriv en kommentar till sekreteraren om vad som behöver ändras."},
        widget=forms.Textarea,
    )


class CorrectionForm(forms.Form):
    """A rättelse: the new text, held to the limits of the field it replaces, and the reason."""

    new_text = forms.CharField(label="Rättad text", required=False, widget=forms.Textarea(attrs={"rows": 6}))
    reason = forms.CharField(
        label="Skäl till rättelsen",
        max_length=m.Correction._meta.get_field("reason").max_length,
        error_messages={"required": "Ange skälet till rättelsen."},
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, target: models.Field, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The §'s long texts have no column limit; the § editor holds them to MAX_TEXT too.
        _limit(self.fields["new_text"], target.max_length or MAX_TEXT)
        self.fields["new_text"].required = not target.blank
        self.target = target

    def clean_new_text(self) -> str:
        text = self.cleaned_data["new_text"]
        if self.target.name == "recipients":
            check_recipient_lines(text)
        return text
