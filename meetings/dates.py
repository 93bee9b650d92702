"""Legal date rules of the protokoll's life cycle.

- Fullmäktige: its meetings are announced on the anslagstavla (KL 5 kap. 13 §) and every ledamot and
  ersättare is called (KL 5 kap. 15 §) at least a week before the meeting day. Nämnder call as
  their reglemente says (KL 6 kap. 17 § only asks that ersättare are told time and place).
- Justering no later than 14 days after the meeting (KL 5 kap. 69 §; 6 kap. 35 § applies it to nämnder).
- Anslag no later than the second day after justering (KL 8 kap. 12 §).
- Appeal (laglighetsprövning, KL 13 kap. 5 §) within three weeks from the day the anslag was posted,
  counted by Lag (1930:173) om beräkning av lagstadgad tid: when the last day falls on a Saturday,
  Sunday, public holiday, midsommarafton, julafton or nyårsafton, it moves to the next weekday.
- Förvaltningsbesvär (FL 44 §) within three weeks from the day the party was notified of the
  decision (fick del av beslutet); a party representing the public, from the day the decision was
  given. The system does not know that day, so no date is computed: the besvärshänvisning
  (``meetings.appeal``) states the rule.
- Justering within 14 days also for nämnder: 6 kap. 35 § applies 5 kap. 69 § to them.
"""

from __future__ import annotations

import datetime
from functools import lru_cache

import holidays
from holidays import DE_FACTO, PUBLIC

NOTICE_DAYS = 7
JUSTERING_DAYS = 14
# Signers who have not signed, and the secretary, are reminded this many days before the deadline.
JUSTERING_REMINDER_DAYS = 3
ANSLAG_DAYS_AFTER_JUSTERING = 2
APPEAL_WEEKS = 3


@lru_cache(maxsize=64)
def _swedish_holidays(year: int) -> frozenset[datetime.date]:
    """Public holidays (Lag 1989:253) plus the eves that Lag 1930:173 treats alike.

    The package's de facto category holds exactly midsommarafton, julafton and nyårsafton (checked
    for 2000–2100). Sundays are handled with the weekend, so the package's optional "every Sunday"
    list stays off.
    """
    return frozenset(holidays.Sweden(years=year, include_sundays=False, categories=(PUBLIC, DE_FACTO)))


def is_non_working_day(day: datetime.date) -> bool:
    """Saturday, Sunday, public holiday, midsommarafton, julafton or nyårsafton (Lag 1930:173)."""
    return day.weekday() >= 5 or day in _swedish_holidays(day.year)


def next_working_day(day: datetime.date) -> datetime.date:
    """``day`` itself if it is a weekday (vardag) in the sense of Lag 1930:173, else the next one."""
    while is_non_working_day(day):
        day += datetime.timedelta(days=1)
    return day


def appeal_deadline(posted: datetime.date) -> datetime.date:
    """The last day to appeal a decision whose anslag was posted on ``posted`` (KL 13 kap. 5 §)."""
    return next_working_day(posted + datetime.timedelta(weeks=APPEAL_WEEKS))


def default_take_down(posted: datetime.date) -> datetime.date:
    """The anslag may not come down before the appeal time has run out: the day after the last day."""
    return appeal_deadline(posted) + datetime.timedelta(days=1)


def notice_deadline(meeting_date: datetime.date) -> datetime.date:
    """The last day to put up the notice of a fullmäktige meeting: a week before (KL 5 kap. 13 §).

    "Minst en vecka före sammanträdesdagen" is a notice period, not a deadline by which an act must
    be done, so Lag 1930:173 does not move it off a weekend: a Saturday stays a Saturday.
    """
    return meeting_date - datetime.timedelta(days=NOTICE_DAYS)


def kallelse_deadline(meeting_date: datetime.date, days: int, fullmaktige: bool) -> datetime.date:
    """The last day to send the kallelse: ``days`` before as the organ's reglemente says, and for
    fullmäktige never less than a week (KL 5 kap. 15 §)."""
    if fullmaktige:
        days = max(days, NOTICE_DAYS)
    return meeting_date - datetime.timedelta(days=days)


def justering_deadline(meeting_date: datetime.date) -> datetime.date:
    """Justering no later than 14 days after the meeting (KL 5 kap. 69 §; nämnder 6 kap. 35 §)."""
    return meeting_date + datetime.timedelta(days=JUSTERING_DAYS)


def justering_reminder_day(meeting_date: datetime.date) -> datetime.date:
    """The day the signers are reminded: a few days before the 14-day deadline (KL 5 kap. 69 §)."""
    return justering_deadline(meeting_date) - datetime.timedelta(days=JUSTERING_REMINDER_DAYS)


def latest_anslag_date(justerat: datetime.date) -> datetime.date:
    """The anslag must be posted no later than the second day after justering (KL 8 kap. 12 §)."""
    return justerat + datetime.timedelta(days=ANSLAG_DAYS_AFTER_JUSTERING)
