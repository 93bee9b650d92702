"""The legal date rules, with real calendar cases."""

import datetime as dt

import pytest

from meetings.dates import (
    appeal_deadline,
    default_take_down,
    is_non_working_day,
    justering_deadline,
    justering_reminder_day,
    latest_anslag_date,
)


@pytest.mark.parametrize(
    ("posted", "last_day", "why"),
    [
        # Sunne 2011: three weeks after Mon 2011-04-04 is Annandag påsk, so Tuesday.
        (dt.date(2011, 4, 4), dt.date(2011, 4, 26), "annandag påsk"),
        # An ordinary Tuesday: same weekday three weeks later.
        (dt.date(2021, 11, 30), dt.date(2021, 12, 21), "ordinary"),
        # Posted Fri 2021-12-03: 2021-12-24 julafton (Fri) -> Mon 12-27 (weekday after the Christmas weekend).
        (dt.date(2021, 12, 3), dt.date(2021, 12, 27), "julafton"),
        # Posted Fri 2021-12-10: 2021-12-31 nyårsafton -> Mon 2022-01-03.
        (dt.date(2021, 12, 10), dt.date(2022, 1, 3), "nyårsafton"),
        # Posted Fri 2026-06-05: 2026-06-26 is the Friday after midsommar (a weekday).
        (dt.date(2026, 6, 5), dt.date(2026, 6, 26), "friday after midsommar"),
        # Posted Fri 2026-05-29: 2026-06-19 midsommarafton -> Mon 06-22.
        (dt.date(2026, 5, 29), dt.date(2026, 6, 22), "midsommarafton"),
        # Posted Sat 2026-11-07: three weeks later is Saturday -> Monday.
        (dt.date(2026, 11, 7), dt.date(2026, 11, 30), "saturday"),
        # Posted Thu 2026-05-14: 2026-06-04 is a Thursday; Kristi himmelsfärd 2026 is 05-14, not 06-04.
        (dt.date(2026, 5, 14), dt.date(2026, 6, 4), "ordinary thursday"),
        # Posted Thu 2026-04-23: 2026-05-14 Kristi himmelsfärdsdag -> Fri 05-15.
        (dt.date(2026, 4, 23), dt.date(2026, 5, 15), "kristi himmelsfärd"),
        # Posted Mon 2026-05-18: 2026-06-08 Monday (no longer annandag pingst since 2005).
        (dt.date(2026, 5, 18), dt.date(2026, 6, 8), "no annandag pingst"),
        # Posted Sat 2026-05-16: 2026-06-06 Sveriges nationaldag (Sat) -> Mon 06-08.
        (dt.date(2026, 5, 16), dt.date(2026, 6, 8), "nationaldagen"),
        # Posted Tue 2025-04-01: 2025-04-22 is the Tuesday after Annandag påsk (04-21).
        (dt.date(2025, 4, 1), dt.date(2025, 4, 22), "tuesday after easter"),
        # Posted Tue 2024-12-03: 2024-12-24 julafton (Tue) -> 12-25 juldagen, 12-26 annandag jul -> Fri 12-27.
        (dt.date(2024, 12, 3), dt.date(2024, 12, 27), "christmas chain"),
        # Posted Wed 2025-04-30: 2025-05-21 Wednesday; and 1 May 2025 is not in play.
        (dt.date(2025, 4, 30), dt.date(2025, 5, 21), "ordinary wednesday"),
        # Posted Tue 2024-12-10: 2024-12-31 nyårsafton -> 2025-01-01 nyårsdagen -> Thu 01-02.
        (dt.date(2024, 12, 10), dt.date(2025, 1, 2), "nyårsafton then nyårsdagen"),
        # Posted Wed 2026-12-16: 2027-01-06 trettondedag jul -> Thu 01-07.
        (dt.date(2026, 12, 16), dt.date(2027, 1, 7), "trettondedag jul"),
    ],
)
def test_appeal_deadline(posted, last_day, why):
    assert appeal_deadline(posted) == last_day, why


def test_take_down_is_the_day_after_the_last_appeal_day():
    assert default_take_down(dt.date(2011, 4, 4)) == dt.date(2011, 4, 27)


def test_alla_helgons_dag_is_a_holiday_but_not_its_eve():
    assert is_non_working_day(dt.date(2026, 10, 31))  # Saturday, alla helgons dag
    assert not is_non_working_day(dt.date(2026, 10, 30))  # Friday, an ordinary weekday


def test_justering_and_anslag_deadlines():
    assert justering_deadline(dt.date(2021, 11, 22)) == dt.date(2021, 12, 6)
    assert latest_anslag_date(dt.date(2021, 11, 29)) == dt.date(2021, 12, 1)


def test_signers_are_reminded_three_days_before_the_14_day_deadline():
    """KL 5 kap. 69 §, for nämnder through 6 kap. 35 §: justering within 14 days of the meeting."""
    assert justering_reminder_day(dt.date(2021, 11, 22)) == dt.date(2021, 12, 3)


def test_the_eves_of_lag_1930_173_come_from_the_holidays_package():
    """Lag 1930:173: midsommarafton, julafton and nyårsafton count like holidays. The package's de
    facto category is used for them, so check that it is exactly those three in every year (an
    update of the package must not add or drop one unnoticed)."""
    import holidays
    from holidays import DE_FACTO

    for year in range(2000, 2101):
        june_19 = dt.date(year, 6, 19)
        midsommarafton = june_19 + dt.timedelta(days=(4 - june_19.weekday()) % 7)  # the Friday, 19–25 June
        expected = {midsommarafton, dt.date(year, 12, 24), dt.date(year, 12, 31)}
        assert set(holidays.Sweden(years=year, categories=(DE_FACTO,))) == expected
        assert all(is_non_working_day(day) for day in expected)
