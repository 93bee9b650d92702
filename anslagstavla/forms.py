"""Forms of the public anslagstavla."""

from __future__ import annotations

from django import forms

from meetings import models as m


class ArchiveFilterForm(forms.Form):
    organ = forms.ChoiceField(label="Organ", required=False, widget=forms.Select(attrs={"class": "form-select"}))
    # Any plausible year filters (an empty result is an answer); the menu offers the years there are.
    ar = forms.IntegerField(
        label="År", required=False, min_value=1900, max_value=2200, widget=forms.Select(attrs={"class": "form-select"})
    )

    def __init__(self, data, organs: list[m.Organ], years: list[int]) -> None:
        super().__init__(data)
        self.fields["organ"].choices = [("", "Alla organ")] + [(o.short_name, o.name) for o in organs]
        self.fields["ar"].widget.choices = [("", "Alla år")] + [(str(y), str(y)) for y in years]
