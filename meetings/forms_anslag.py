"""The secretary's form for putting up the anslag of a justerat protokoll."""

from __future__ import annotations

import datetime

from django import forms

from . import dates

BEFORE_JUSTERING = "Anslaget kan inte sättas upp före justeringen."


def planned_dates(posted_on: datetime.date) -> dict[str, datetime.date]:
    """The legal dates that follow from the day the anslag is put up, to show before posting."""
    return {
        "posted_on": posted_on,
        "appeal_until": dates.appeal_deadline(posted_on),
        "take_down_on": dates.default_take_down(posted_on),
    }


class PostAnslagForm(forms.Form):
    """The day the anslag is put up. Later than the second day after justering (KL 8 kap. 12 §) is
    still allowed, since the notice must go up anyway, but only once the secretary confirms it."""

    posted_on = forms.DateField(
        label="Datum då anslaget sätts upp",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    confirm_late = forms.BooleanField(
        label="Jag vet att anslaget sätts upp senare än lagen anger och vill ändå sätta upp det.",
        required=False,
    )

    def __init__(self, *args, justerat_on: datetime.date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.justerat_on = justerat_on
        self.latest = dates.latest_anslag_date(justerat_on)

    def clean_posted_on(self) -> datetime.date:
        posted_on = self.cleaned_data["posted_on"]
        if posted_on < self.justerat_on:
            raise forms.ValidationError(BEFORE_JUSTERING)
        return posted_on

    def is_late(self) -> bool:
        """Whether the chosen (valid) date is after the last day the law allows."""
        posted_on = self.chosen_date()
        return posted_on is not None and posted_on > self.latest

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.is_late() and not cleaned.get("confirm_late"):
            self.add_error(
                "confirm_late",
                f"Anslaget ska sättas upp senast {self.latest:%Y-%m-%d}, andra dagen efter justeringen "
                "(kommunallagen 8 kap. 12 §). Bekräfta om du ändå vill sätta upp det detta datum.",
            )
        return cleaned

    def chosen_date(self) -> datetime.date | None:
        """The valid day entered (also when another field has an error); None when there is none."""
        return self.cleaned_data.get("posted_on") if hasattr(self, "cleaned_data") else None
