"""Creating and editing a meeting: attendance from memberships, validation, no lost updates."""

import datetime

import pytest
from django.urls import reverse

from meetings import models as m
from tests import factories as f


def _create(client, organ_, **overrides):
    data = {
        "organ": organ_.pk,
        "date": "2026-04-01",
        "start_time": "09:00",
        "end_time": "11:30",
        "place": "Sessionssalen",
        "diarienummer": "KS 2026/55",
    }
    data.update(overrides)
    return client.post(reverse("meeting_create"), data)


def test_it_creates_a_meeting_with_members_valid_on_the_day(client, alice, bob, organ):
    member = f.member(organ, "Mia Ledamot", "S")
    deputy = f.member(organ, "Erik Ersättare", "C", m.MembershipRole.ERSATTARE)
    former = f.member(organ, "Fia Före", "L")
    m.Membership.objects.filter(person=former).update(end=datetime.date(2025, 12, 31))
    client.force_login(alice)
    response = _create(client, organ)
    meeting = m.Meeting.objects.get(diarienummer="KS 2026/55")
    assert response.status_code == 302
    assert response["Location"] == reverse("attendance", args=[meeting.pk])
    kinds = {a.person_id: (a.kind, a.role, a.party.abbreviation) for a in meeting.attendances.all()}
    assert kinds == {
        bob.person.pk: (m.AttendanceKind.BESLUTANDE, "Ordförande", "M"),
        member.pk: (m.AttendanceKind.BESLUTANDE, "", "S"),
        deputy.pk: (m.AttendanceKind.ERSATTARE, "", "C"),
    }
    assert meeting.chair == bob.person
    assert meeting.secretary == alice.person
    assert meeting.status == m.MeetingStatus.UTKAST
    assert meeting.history.count() >= 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"end_time": "08:00"}, "Sluttiden måste vara efter starttiden."),
        ({"date": "1899-01-01"}, "Ange ett datum mellan år 2000 och 2100."),
        ({"date": "31-31-2026"}, "Fyll i ett giltigt datum."),
        ({"start_time": "25:99"}, "Fyll i en giltig tid."),
        ({"place": "   "}, "Detta fält måste fyllas i."),
        ({"place": "x" * 201}, "som mest 200 tecken"),
        ({"organ": "abc"}, "Välj ett giltigt alternativ"),
        ({"organ": "99999999999999999999"}, "Välj ett giltigt alternativ"),
        ({"date": ""}, "Detta fält måste fyllas i."),
    ],
)
def test_it_validates_in_swedish(client, alice, organ, overrides, message):
    client.force_login(alice)
    response = _create(client, organ, **overrides)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not m.Meeting.objects.exists()


def test_missing_fields_do_not_crash(client, alice, organ):
    client.force_login(alice)
    assert client.post(reverse("meeting_create"), {}).status_code == 200


def _edit_data(meeting, **overrides):
    data = {
        "version": meeting.version,
        "date": meeting.date.isoformat(),
        "start_time": "09:00",
        "end_time": "11:00",
        "place": meeting.place,
        "diarienummer": meeting.diarienummer,
        "secretary": "",
        "chair": meeting.chair_id or "",
        "justerare_1": "",
        "justerare_2": "",
        "justering_place": "",
        "justering_date": "",
        "justering_time": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def present(meeting, bob):
    f.attend(meeting, bob.person, role="Ordförande", party=f.party("M"))
    mia = f.member(meeting.organ, "Mia Ledamot", "S")
    ola = f.member(meeting.organ, "Ola Ledamot", "KD")
    f.attend(meeting, mia, party=f.party("S"))
    f.attend(meeting, ola, party=f.party("KD"))
    return mia, ola


def test_it_picks_chair_and_justerare_among_those_present(client, alice, meeting, present):
    mia, ola = present
    client.force_login(alice)
    data = _edit_data(meeting, justerare_1=mia.pk, justerare_2=ola.pk, justering_place="Kommunhuset")
    response = client.post(reverse("meeting_edit", args=[meeting.pk]), data)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.justerare_1, meeting.justerare_2, meeting.version) == (mia, ola, 2)


def test_it_refuses_someone_who_is_not_present(client, alice, meeting, present, charlie):
    absent = f.member(meeting.organ, "Frank Frånvarande", "S")
    f.attend(meeting, absent, absent=True)
    client.force_login(alice)
    for person in (charlie.person, absent):
        response = client.post(reverse("meeting_edit", args=[meeting.pk]), _edit_data(meeting, justerare_1=person.pk))
        assert response.status_code == 200
        assert "Välj ett giltigt alternativ" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.justerare_1 is None


def test_chair_and_justerare_are_among_those_who_serve(client, alice, meeting, present):
    """An ersättare who only attends does not decide, so can neither chair nor justera; a deputy
    who serves can."""
    mia, _ola = present
    erik = f.member(meeting.organ, "Erik Ersättare", "S", m.MembershipRole.ERSATTARE)
    f.attend(meeting, erik, kind=m.AttendanceKind.ERSATTARE)
    eva = f.member(meeting.organ, "Eva Ersättare", "KD", m.MembershipRole.ERSATTARE)
    f.attend(meeting, eva, kind=m.AttendanceKind.TJANSTGORANDE_ERSATTARE, replaces=mia)
    client.force_login(alice)
    url = reverse("meeting_edit", args=[meeting.pk])
    assert "Erik Ersättare" not in client.get(url).content.decode()
    for field in ("chair", "justerare_1"):
        response = client.post(url, _edit_data(meeting, **{field: erik.pk}))
        assert "Välj ett giltigt alternativ" in response.content.decode()
    assert client.post(url, _edit_data(meeting, justerare_1=eva.pk)).status_code == 302
    meeting.refresh_from_db()
    assert meeting.justerare_1 == eva


def test_it_refuses_the_same_justerare_twice_and_the_chair_as_justerare(client, alice, meeting, present, bob):
    mia, _ola = present
    client.force_login(alice)
    url = reverse("meeting_edit", args=[meeting.pk])
    page = client.post(url, _edit_data(meeting, justerare_1=mia.pk, justerare_2=mia.pk)).content.decode()
    assert "Samma person kan inte vara justerare två gånger." in page
    page = client.post(url, _edit_data(meeting, justerare_1=bob.person.pk)).content.decode()
    assert "Ordföranden justerar redan protokollet" in page


def test_one_justerare_organ_has_no_second_field(client, alice, meeting, present):
    meeting.organ.justerare_count = 1
    meeting.organ.save()
    client.force_login(alice)
    page = client.get(reverse("meeting_edit", args=[meeting.pk])).content.decode()
    assert 'name="justerare_1"' in page and 'name="justerare_2"' not in page


def test_justering_cannot_be_before_the_meeting(client, alice, meeting, present):
    client.force_login(alice)
    data = _edit_data(meeting, justering_date="2026-03-01")
    page = client.post(reverse("meeting_edit", args=[meeting.pk]), data).content.decode()
    assert "Justeringen kan inte ske före sammanträdet." in page


def test_date_cannot_move_to_another_year_once_paragraphs_exist(client, alice, meeting, present):
    f.paragraph(meeting)
    client.force_login(alice)
    data = _edit_data(meeting, date="2027-01-05")
    page = client.post(reverse("meeting_edit", args=[meeting.pk]), data).content.decode()
    assert "kan inte flyttas till ett annat år" in page


def test_a_stale_save_is_refused_and_nothing_is_overwritten(client, alice, meeting, present):
    client.force_login(alice)
    url = reverse("meeting_edit", args=[meeting.pk])
    loaded = meeting.version
    first = client.post(url, _edit_data(meeting, place="Stora salen", version=loaded))
    assert first.status_code == 302
    second = client.post(url, _edit_data(meeting, place="Lilla salen", version=loaded))
    assert second.status_code == 409
    page = second.content.decode()
    assert "Någon annan har sparat ändringar i sammanträdet" in page
    assert "Lilla salen" in page  # the refused input is still on the page to copy
    meeting.refresh_from_db()
    assert meeting.place == "Stora salen"
    assert meeting.version == loaded + 1


@pytest.mark.parametrize("version", ["", "abc", "-1", "99999999999999999999"])
def test_a_bad_version_is_a_form_error(client, alice, meeting, present, version):
    client.force_login(alice)
    response = client.post(reverse("meeting_edit", args=[meeting.pk]), _edit_data(meeting, version=version))
    assert response.status_code == 200
    meeting.refresh_from_db()
    assert meeting.version == 1


def test_dashboard_groups_by_status_newest_first(client, alice, organ):
    old = f.meeting(organ, date=datetime.date(2026, 1, 10), diarienummer="KS 2026/OLD")
    new = f.meeting(organ, date=datetime.date(2026, 2, 10), diarienummer="KS 2026/NEW")
    done = f.meeting(organ, date=datetime.date(2025, 2, 10), diarienummer="KS 2025/DONE")
    done.status = m.MeetingStatus.JUSTERAT
    done.save()
    client.force_login(alice)
    page = client.get(reverse("dashboard")).content.decode()
    assert page.index(new.diarienummer) < page.index(old.diarienummer) < page.index("Justerat")
    assert page.index("Justerat") < page.index(done.diarienummer)
    assert reverse("meeting_create") in page
