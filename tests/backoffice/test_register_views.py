"""The secretary keeps her organ's register without the admin: seats, persons, parties, settings and
the import with its preview. Who may not: anonymous, members, outsiders, secretaries of other organs."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetings import models as m
from tests import factories as f
from tests.helpers import client_for

pytestmark = pytest.mark.django_db

LIST = (
    "Namn;Parti;Roll;Från;Till\n"
    "Anna Andersson;S;Ordförande;2023-01-01;\n"
    "Bo Berg;M;Ledamot;2023-01-01;\n"
    "Fel Felsson;XX;Ledamot;2023-01-01;\n"
)


@pytest.fixture
def other_organ(db):
    organ = f.organ("MN", name="Miljönämnden")
    dana = f.user("dana")
    organ.secretaries.add(dana)
    return organ


def _csv(text: str = LIST, name: str = "ledamoter.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


@pytest.mark.parametrize(
    "url",
    [
        lambda o: reverse("register_home"),
        lambda o: reverse("organ_register", args=[o.pk]),
        lambda o: reverse("membership_create", args=[o.pk]),
        lambda o: reverse("register_import", args=[o.pk]),
        lambda o: reverse("person_list"),
        lambda o: reverse("person_create"),
    ],
)
def test_only_secretaries_keep_a_register(client, organ, alice, bob, charlie, url):
    target = url(organ)
    assert client.get(target).status_code == 302  # anonymous: to the login page
    assert client_for(bob).get(target).status_code == 404  # a member reads, does not keep
    assert client_for(charlie).get(target).status_code == 404
    assert client_for(alice).get(target).status_code == 200


def test_another_organs_secretary_sees_nothing_of_ours(organ, alice, other_organ):
    dana = other_organ.secretaries.get()
    seat = m.Membership.objects.create(
        person=f.person("Ida"), organ=organ, role=m.MembershipRole.LEDAMOT, start=datetime.date(2023, 1, 1)
    )
    client = client_for(dana)
    assert client.get(reverse("organ_register", args=[organ.pk])).status_code == 404
    assert client.get(reverse("membership_edit", args=[organ.pk, seat.pk])).status_code == 404
    assert client.post(reverse("membership_edit", args=[organ.pk, seat.pk]), {"action": "delete"}).status_code == 404
    assert client.get(reverse("person_edit", args=[seat.person_id])).status_code == 404
    assert m.Membership.objects.filter(pk=seat.pk).exists()
    # A seat in another organ cannot be edited through ours.
    theirs = m.Membership.objects.create(
        person=f.person("Jon"), organ=other_organ, role=m.MembershipRole.LEDAMOT, start=datetime.date(2023, 1, 1)
    )
    assert client_for(alice).get(reverse("membership_edit", args=[organ.pk, theirs.pk])).status_code == 404


def test_the_register_page_lists_todays_seats_and_all_on_request(organ, alice, bob):
    gone = f.member(organ, "Gunnar Gammal", "M")
    gone.memberships.update(end=datetime.date(2022, 12, 31))
    client = client_for(alice)
    page = client.get(reverse("organ_register", args=[organ.pk])).content.decode()
    assert "Bob Ordförande" in page and "Gunnar Gammal" not in page
    assert "Gunnar Gammal" in client.get(reverse("organ_register", args=[organ.pk]), {"visa": "alla"}).content.decode()


def test_a_seat_for_a_person_of_the_register(organ, alice):
    mia = f.person("Mia Ledamot", party=f.party("S"))
    response = client_for(alice).post(
        reverse("membership_create", args=[organ.pk]), {"person": mia.pk, "role": "ledamot", "start": "2023-01-01"}
    )
    assert response.status_code == 302
    seat = organ.memberships.get()
    assert (seat.person, seat.party.abbreviation, seat.end) == (mia, "S", None)  # party from the person


def test_a_new_person_with_a_name_the_register_has_must_be_confirmed(organ, alice):
    existing = f.person("Eva-Lotta Kittel", title="Kommunsekreterare")
    client = client_for(alice)
    data = {"new_name": "Eva-Lotta  Kittel", "role": "ersattare", "start": "2023-01-01"}
    response = client.post(reverse("membership_create", args=[organ.pk]), data)
    assert response.status_code == 400
    assert "Registret har redan Eva-Lotta Kittel, Kommunsekreterare" in response.content.decode()
    assert not m.Membership.objects.exists()
    response = client.post(reverse("membership_create", args=[organ.pk]), {**data, "same_name_confirmed": "on"})
    assert response.status_code == 302
    assert m.Person.objects.filter(name="Eva-Lotta Kittel").exclude(pk=existing.pk).count() == 1


def test_a_seat_needs_someone_and_sane_dates(organ, alice):
    client = client_for(alice)
    response = client.post(reverse("membership_create", args=[organ.pk]), {"role": "ledamot", "start": "2023-01-01"})
    assert "Välj en person i registret eller skriv namnet på en ny." in response.content.decode()
    response = client.post(
        reverse("membership_create", args=[organ.pk]),
        {"new_name": "Ny Nysson", "role": "ledamot", "start": "2024-01-01", "end": "2023-01-01"},
    )
    assert "Slutdatum får inte vara före startdatum." in response.content.decode()
    assert not m.Person.objects.filter(name="Ny Nysson").exists()


def test_ending_and_removing_a_seat(organ, alice, bob):
    seat = bob.person.memberships.get()
    client = client_for(alice)
    url = reverse("membership_edit", args=[organ.pk, seat.pk])
    assert client.post(url, {"role": "ordforande", "start": "2020-01-01", "end": "2026-06-30"}).status_code == 302
    seat.refresh_from_db()
    assert seat.end == datetime.date(2026, 6, 30)
    assert client.post(url, {"action": "delete"}).status_code == 302
    assert not m.Membership.objects.filter(pk=seat.pk).exists()


def test_settings_and_standing_points(organ, alice):
    client = client_for(alice)
    url = reverse("organ_register", args=[organ.pk])
    assert "Val av justerare och tid för justering" in client.get(url).content.decode()  # the common ones
    client.post(url, {"action": "settings", "justerare_count": "1", "kallelse_days": "5"})
    organ.refresh_from_db()
    assert (organ.justerare_count, organ.kallelse_days) == (1, 5)
    data = {
        "action": "standing",
        "standing-TOTAL_FORMS": "3",
        "standing-INITIAL_FORMS": "3",
        "standing-0-name": "Upprop",
        "standing-1-name": "Meddelanden",
        "standing-1-proposal": "att lägga meddelandena till handlingarna",
        "standing-2-name": "Struken",
        "standing-2-DELETE": "on",
    }
    assert client.post(url, data).status_code == 302
    assert [(s.name, s.proposal) for s in organ.standing_items.all()] == [
        ("Upprop", ""),
        ("Meddelanden", "att lägga meddelandena till handlingarna"),
    ]


def test_bad_settings_change_nothing(organ, alice):
    response = client_for(alice).post(
        reverse("organ_register", args=[organ.pk]), {"action": "settings", "justerare_count": "3", "kallelse_days": "x"}
    )
    assert response.status_code == 400
    organ.refresh_from_db()
    assert organ.justerare_count == 2


def test_import_previews_saves_nothing_then_stores_on_confirmation(organ, alice):
    f.party("S")
    f.party("M")
    client = client_for(alice)
    url = reverse("register_import", args=[organ.pk])
    response = client.post(url, {"action": "preview", "file": _csv()})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Ingenting är sparat ännu." in page
    assert "Okänt parti ”XX”" in page
    assert "Spara 2 uppdrag" in page
    assert not m.Membership.objects.exists()
    assert not m.Person.objects.filter(name__in=["Anna Andersson", "Bo Berg"]).exists()
    payload = response.context["confirm_form"].initial["payload"]
    response = client.post(url, {"action": "confirm", "payload": payload}, follow=True)
    assert "2 uppdrag är inlagda (2 nya personer). 1 rader med fel lades inte in." in response.content.decode()
    assert sorted(organ.memberships.values_list("person__name", flat=True)) == ["Anna Andersson", "Bo Berg"]
    # Confirming the same preview twice stores nothing more.
    client.post(url, {"action": "confirm", "payload": payload})
    assert organ.memberships.count() == 2


def test_an_import_confirmation_cannot_be_forged_or_moved(organ, alice, other_organ):
    f.party("S")
    client = client_for(alice)
    url = reverse("register_import", args=[organ.pk])
    response = client.post(url, {"action": "preview", "file": _csv("Namn;Parti;Roll;Från\nA;S;Ledamot;2023-01-01\n")})
    payload = response.context["confirm_form"].initial["payload"]
    forged = payload[:-3] + ("abc" if not payload.endswith("abc") else "xyz")
    response = client.post(url, {"action": "confirm", "payload": forged}, follow=True)
    assert "Förhandsgranskningen har gått ut eller är ogiltig" in response.content.decode()
    other_organ.secretaries.add(alice)  # a preview of one organ cannot be stored in another
    client.post(reverse("register_import", args=[other_organ.pk]), {"action": "confirm", "payload": payload})
    assert not m.Membership.objects.exists()


def test_an_unreadable_file_gets_a_message_and_no_500(organ, alice):
    client = client_for(alice)
    url = reverse("register_import", args=[organ.pk])
    response = client.post(url, {"action": "preview", "file": _csv("Telefon;Adress\n070;Gatan\n")})
    assert response.status_code == 400
    assert "Saknas: Namn, Parti, Roll" in response.content.decode()
    bad_xlsx = SimpleUploadedFile("lista.xlsx", b"PK\x03\x04garbage", content_type="application/vnd.ms-excel")
    assert client.post(url, {"action": "preview", "file": bad_xlsx}).status_code == 400
    assert client.post(url, {"action": "preview"}).status_code == 400


def test_a_huge_field_or_a_broken_workbook_gets_a_message_and_saves_nothing(organ, alice):
    """Review A 7: no 500 and nothing stored for a CSV cell over the field limit or a broken XLSX."""
    from openpyxl import Workbook

    client = client_for(alice)
    url = reverse("register_import", args=[organ.pk])
    huge = _csv("Namn;Parti;Roll\n" + "A" * 200_000 + ";S;Ledamot\n")
    response = client.post(url, {"action": "preview", "file": huge})
    assert response.status_code == 400 and "kunde inte läsas" in response.content.decode()
    workbook = Workbook()
    workbook.active.append(["Namn", "Parti", "Roll"])
    for i in range(300):
        workbook.active.append([f"Person {i}", "S", "Ledamot"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    whole = buffer.getvalue()
    cut = SimpleUploadedFile("lista.xlsx", whole[: len(whole) * 4 // 5])
    response = client.post(url, {"action": "preview", "file": cut})
    assert response.status_code == 400 and "Excel-fil" in response.content.decode()
    # The zip whole, its sheet cut in half: openpyxl fails only while reading the rows.
    source, broken = zipfile.ZipFile(io.BytesIO(whole)), io.BytesIO()
    with zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item, data[: len(data) // 2] if item.filename.startswith("xl/worksheets/") else data)
    response = client.post(url, {"action": "preview", "file": SimpleUploadedFile("lista.xlsx", broken.getvalue())})
    assert response.status_code == 400 and "Excel-filen kunde inte läsas" in response.content.decode()
    assert not m.Membership.objects.exists()


def test_an_xlsx_list_is_imported(organ, alice):
    from openpyxl import Workbook

    f.party("S")
    workbook = Workbook()
    workbook.active.append(["Namn", "Parti", "Roll", "Från", "Till"])
    workbook.active.append(["Åsa Öberg", "S", "Ersättare", datetime.datetime(2023, 1, 1), None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("lista.xlsx", buffer.getvalue())
    response = client_for(alice).post(
        reverse("register_import", args=[organ.pk]), {"action": "preview", "file": upload}
    )
    assert [(r.name, r.role_value, r.ok) for r in response.context["rows"]] == [("Åsa Öberg", "ersattare", True)]


def test_persons_are_listed_searched_and_edited(organ, alice, bob):
    official = f.person("Fredrik Geijer", title="Kommundirektör")
    client = client_for(alice)
    page = client.get(reverse("person_list"), {"q": "kommundir"}).content.decode()
    assert "Fredrik Geijer" in page and "Bob Ordförande" not in page
    response = client.post(
        reverse("person_edit", args=[official.pk]),
        {"name": "Fredrik Geijer", "title": "Kommundirektör", "organisation": "KLF", "email": "fg@example.se"},
    )
    assert response.status_code == 302
    official.refresh_from_db()
    assert (official.organisation, official.email) == ("KLF", "fg@example.se")


def test_persons_of_other_organs_are_not_ours_to_edit(organ, alice, other_organ):
    """Review A 6: a person who sits only in another organ, or another organ's secretary (an account
    with no seat), is edited by that organ's secretaries and administrators, not by ours."""
    dana = other_organ.secretaries.get()
    dana_person = f.person("Dana Sekreterare", user=dana, email="dana@example.se")
    jon = f.member(other_organ, "Jon Miljö", "S", email="jon@example.se")
    client = client_for(alice)
    for person in (dana_person, jon):
        url = reverse("person_edit", args=[person.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"name": person.name, "email": "alice@example.se"}).status_code == 404
        person.refresh_from_db()
        assert person.email != "alice@example.se"
    # Ours: alice herself, an official without an account, a member of KSAU.
    mine = [alice.person, f.person("Fredrik Geijer"), f.member(organ, "Mia Ledamot", "S")]
    for person in mine:
        assert client.get(reverse("person_edit", args=[person.pk])).status_code == 200
    editable = client.get(reverse("person_list")).context["editable"]
    assert {p.pk for p in mine} <= editable and not {dana_person.pk, jon.pk} & editable


def test_a_person_is_not_linked_to_an_account_by_a_secretary(organ, alice, charlie):
    """Linking an account lets it sign as the person: that stays with administrators."""
    official = f.person("Fredrik Geijer")
    client_for(alice).post(reverse("person_edit", args=[official.pk]), {"name": "Fredrik Geijer", "user": charlie.pk})
    official.refresh_from_db()
    assert official.user is None


def test_a_party_is_added_on_the_register_page(alice):
    client = client_for(alice)
    response = client.post(reverse("register_home"), {"party-name": "Piratpartiet", "party-abbreviation": "PP"})
    assert response.status_code == 302
    assert m.Party.objects.filter(abbreviation="PP").exists()
    response = client.post(reverse("register_home"), {"party-name": "Piratpartiet", "party-abbreviation": "PP"})
    assert response.status_code == 400


def test_a_seat_the_organs_past_meetings_depend_on_is_ended_not_deleted(organ, alice, bob):
    """Review A 12: who sat when decides who was called and who may read a past meeting; a seat
    valid at a held meeting is not deleted (its end date is set instead), a mistaken one is."""
    seat = bob.person.memberships.get()
    f.meeting(organ, date=datetime.date(2024, 5, 2))
    client = client_for(alice)
    url = reverse("membership_edit", args=[organ.pk, seat.pk])
    page = client.post(url, {"action": "delete"}, follow=True).content.decode()
    assert m.Membership.objects.filter(pk=seat.pk).exists()
    assert "Ange ett slutdatum i stället" in page
    mistake = m.Membership.objects.create(
        person=bob.person, organ=organ, role=m.MembershipRole.ERSATTARE, start=datetime.date(2030, 1, 1)
    )
    client.post(reverse("membership_edit", args=[organ.pk, mistake.pk]), {"action": "delete"})
    assert not m.Membership.objects.filter(pk=mistake.pk).exists()
