"""Who may read a meeting: the organ's secretaries, admins, its members on the meeting's date, and the
meeting's own chair, justerare and secretary."""

import datetime

from meetings import access
from meetings import models as m
from tests import factories as f


def _member(organ, name, start, end):
    person = f.person(name, user=f.user(name.lower().replace(" ", "")))
    m.Membership.objects.create(person=person, organ=organ, role="ersattare", start=start, end=end)
    return person.user


def test_a_member_on_the_meetings_date_may_read(organ, meeting):
    user = _member(organ, "Nu Varande", datetime.date(2025, 1, 1), None)
    assert access.visible_meetings(user).filter(pk=meeting.pk).exists()


def test_a_former_member_may_not(organ, meeting):
    user = _member(organ, "Tidigare Ledamot", datetime.date(1998, 1, 1), datetime.date(2002, 12, 31))
    assert not access.visible_meetings(user).filter(pk=meeting.pk).exists()


def test_a_future_member_may_not_read_earlier_meetings(organ, meeting):
    user = _member(organ, "Ny Ledamot", datetime.date(2027, 1, 1), None)
    assert not access.visible_meetings(user).filter(pk=meeting.pk).exists()


def test_membership_periods_are_not_mixed(organ, meeting):
    """An ended membership and a later one must not combine into access (the same join row)."""
    user = _member(organ, "Ater Kommande", datetime.date(1998, 1, 1), datetime.date(2002, 12, 31))
    m.Membership.objects.create(
        person=user.person, organ=organ, role="ledamot", start=datetime.date(2027, 1, 1), end=None
    )
    assert not access.visible_meetings(user).filter(pk=meeting.pk).exists()
