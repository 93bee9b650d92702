"""The secretary's form for putting up the anslag of a justerat protokoll."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone

from meetings import dates

BEFORE_JUSTERING = "Anslaget kan inte sättas upp före justeringen."
BEFORE_TODAY = (
    "Anslaget kan inte sättas upp ett datum som redan har passerat. Tiden för överklagande räknas från "
    "den dag anslaget faktiskt sätts upp (kommunallagen 13 kap. 5 §), så ett tidigare datum skulle "
    "förkorta allmänhetens tid att överklaga. Välj dagens datum eller ett senare."
)


def one_year_after(day: datetime.date) -> datetime.date:
    """The same day next year (29 February becomes 28 February): the furthest an anslag may be
    scheduled. Further is a typing error, and near the calendar's end the legal dates cannot even be
    computed (``dates.appeal_deadline`` would overflow)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def too_far_ahead_message(furthest: datetime.date) -> str:
    return f"Anslaget kan inte planeras mer än ett år framåt. Välj ett datum senast {furthest:%Y-%m-%d}."


def planned_dates(posted_on: datetime.date) -> dict[str, datetime.date]:
    """The legal dates that follow from the day the anslag is put up, to show before posting."""
    return {
        "posted_on": posted_on,
        "appeal_until": dates.appeal_deadline(posted_on),
        "take_down_on": dates.default_take_down(posted_on),
    }


class PostAnslagForm(forms.Form):
    """The day the anslag is put up: today or later (a scheduled posting), never a past day, since
    the appeal time (KL 13 kap. 5 §) runs from the day it is actually put up, and at most a year
    ahead. Later than the second day after justering (KL 8 kap. 12 §) is still allowed, since the
    notice must go up anyway, but only once the secretary confirms it."""

    posted_on = forms.DateField(
        label="Datum då anslaget sätts upp",
        help_text="Dagens datum eller ett senare, högst ett år framåt.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    confirm_late = forms.BooleanField(
        label="Jag vet att anslaget sätts upp senare än lagen anger och vill ändå sätta upp det.",
        required=False,
    )

    def __init__(self, *args, justerat_on: datetime.date, today: datetime.date | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.justerat_on = justerat_on
        self.today = today or timezone.localdate()
        self.latest = dates.latest_anslag_date(justerat_on)
        attrs = self.fields["posted_on"].widget.attrs
        attrs["min"], attrs["max"] = max(self.today, justerat_on).isoformat(), self.furthest.isoformat()

    @property
    def furthest(self) -> datetime.date:
        """The last day the anslag may be scheduled for."""
        return one_year_after(self.today)

    def clean_posted_on(self) -> datetime.date:
        posted_on = self.cleaned_data["posted_on"]
        if posted_on < self.justerat_on:
            raise forms.ValidationError(BEFORE_JUSTERING)
        if posted_on < self.today:
            raise forms.ValidationError(BEFORE_TODAY)
        if posted_on > self.furthest:
            raise forms.ValidationError(too_far_ahead_message(self.furthest))
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
