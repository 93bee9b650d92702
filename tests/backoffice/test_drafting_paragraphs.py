"""Paragraphs: create, edit every section, move, renumber, delete; numbers stay unique in the
organ's series; no lost updates; foreign ids are refused."""

import pytest
from django.urls import reverse

from meetings import models as m
from tests import factories as f
from tests.helpers import editor_data


@pytest.fixture
def people(meeting, bob):
    bob_a = f.attend(meeting, bob.person, role="Ordförande", party=f.party("M"))
    mia = f.attend(meeting, f.member(meeting.organ, "Mia Ledamot", "S"), party=f.party("S"))
    ola = f.attend(meeting, f.member(meeting.organ, "Ola Ledamot", "KD"), party=f.party("KD"))
    return bob_a, mia, ola


def _edit_url(p):
    return reverse("paragraph_edit", args=[p.meeting_id, p.pk])


def test_it_creates_a_paragraph_with_the_next_number(client, alice, meeting):
    f.paragraph(meeting, title="Första")
    client.force_login(alice)
    response = client.post(reverse("paragraph_create", args=[meeting.pk]), {"title": "Budget 2027", "dnr": "KS 1"})
    paragraph = m.Paragraph.objects.get(title="Budget 2027")
    assert response.status_code == 302
    assert response["Location"] == _edit_url(paragraph)
    assert (paragraph.number, paragraph.position) == (2, 2)
    assert paragraph.decision_intro == "Kommunstyrelsens arbetsutskott beslutar"


def test_a_chosen_number_must_be_free_in_the_organs_series(client, alice, meeting, organ):
    other_meeting = f.meeting(organ, diarienummer="KS 2026/9")
    f.paragraph(other_meeting, title="Tagen")  # § 1 of KSAU 2026
    client.force_login(alice)
    url = reverse("paragraph_create", args=[meeting.pk])
    page = client.post(url, {"title": "Ny", "number": 1}).content.decode()
    assert "§ 1 finns redan i KSAUs nummerserie för 2026." in page
    assert client.post(url, {"title": "Ny", "number": 40}).status_code == 302
    assert meeting.paragraphs.get().number == 40


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": ""}, "Detta fält måste fyllas i."),
        ({"title": "   "}, "Detta fält måste fyllas i."),
        ({"title": "x" * 301}, "som mest 300 tecken"),
        ({"title": "T", "number": "abc"}, "Fyll i ett heltal."),
        ({"title": "T", "number": "0"}, "större än eller lika med 1"),
        ({"title": "T", "number": "99999999999999999999"}, "mindre än eller lika med 99999"),
        ({"title": "T", "summary": "x" * 20001}, "som mest 20000 tecken"),
    ],
)
def test_it_validates_new_paragraphs_in_swedish(client, alice, meeting, data, message):
    client.force_login(alice)
    response = client.post(reverse("paragraph_create", args=[meeting.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not meeting.paragraphs.exists()


def test_dnr_is_required_where_the_organ_requires_it(client, alice, meeting):
    meeting.organ.dnr_required = True
    meeting.organ.save()
    client.force_login(alice)
    url = reverse("paragraph_create", args=[meeting.pk])
    page = client.post(url, {"title": "Utan dnr", "dnr": "  "}).content.decode()
    assert "Ange diarienummer; det krävs för det här organet." in page or "Detta fält måste fyllas i." in page
    assert not meeting.paragraphs.exists()


def test_the_editor_saves_every_section(client, alice, meeting, people):
    bob_a, mia, ola = people
    paragraph = f.paragraph(meeting, title="Budget")
    client.force_login(alice)
    rows = {
        "clauses": [
            {"text": "att anta budgeten.", "ORDER": 2},
            {"text": "att uppdra åt kommundirektören att verkställa.", "ORDER": 1},
            {"text": "", "ORDER": ""},
        ],
        "motions": [{"person": mia.person_id, "kind": "bifall", "text": "till förslaget", "ORDER": 1}],
        "reservations": [{"persons": [ola.person_id], "motivation": "Skriftlig."}],
        "notes": [{"kind": "protokollsanteckning", "person": mia.person_id, "text": "En anteckning."}],
        "recusals": [{"person": ola.person_id, "substitute": ""}],
    }
    data = editor_data(paragraph, rows, proposition_order="Ordföranden ställer proposition.", recipients="KLF\nEkonomi")
    response = client.post(_edit_url(paragraph), data)
    assert response.status_code == 302, response.content.decode()
    paragraph.refresh_from_db()
    assert paragraph.version == 2
    assert [c.text for c in paragraph.clauses.all()] == [
        "att uppdra åt kommundirektören att verkställa.",
        "att anta budgeten.",
    ]
    assert paragraph.motions.get().person_id == mia.person_id
    assert list(paragraph.reservations.get().persons.all()) == [ola.person]
    assert paragraph.notes.get().text == "En anteckning."
    assert paragraph.recusals.get().person_id == ola.person_id
    assert paragraph.recipient_list == ["KLF", "Ekonomi"]


def test_clauses_can_be_reordered_and_removed(client, alice, meeting):
    paragraph = f.paragraph(meeting)
    a = m.DecisionClause.objects.create(paragraph=paragraph, position=1, text="att A")
    b = m.DecisionClause.objects.create(paragraph=paragraph, position=2, text="att B")
    c = m.DecisionClause.objects.create(paragraph=paragraph, position=3, text="att C")
    client.force_login(alice)
    rows = {
        "clauses": [
            {"id": a.pk, "text": "att A", "ORDER": 3},
            {"id": b.pk, "text": "att B", "ORDER": 2, "DELETE": "on"},
            {"id": c.pk, "text": "att C", "ORDER": 1},
        ]
    }
    assert client.post(_edit_url(paragraph), editor_data(paragraph, rows)).status_code == 302
    assert [(x.text, x.position) for x in paragraph.clauses.all()] == [("att C", 1), ("att A", 2)]
    assert m.DecisionClause.history.filter(id=b.pk, history_type="-").exists()


def test_people_from_other_meetings_are_refused(client, alice, meeting, people, charlie, organ):
    paragraph = f.paragraph(meeting)
    stranger = f.member(organ, "Sven Annanstans", "S")
    client.force_login(alice)
    for person in (charlie.person.pk, stranger.pk, "abc", "99999999999999999999"):
        rows = {"motions": [{"person": person, "kind": "bifall", "text": "", "ORDER": 1}]}
        response = client.post(_edit_url(paragraph), editor_data(paragraph, rows))
        assert response.status_code == 200
        assert "Välj ett giltigt alternativ" in response.content.decode()
    assert not paragraph.motions.exists()


def test_rows_of_another_paragraph_are_refused(client, alice, meeting):
    paragraph = f.paragraph(meeting)
    other = f.paragraph(meeting, title="Annan")
    theirs = m.DecisionClause.objects.create(paragraph=other, text="att inte röras")
    client.force_login(alice)
    rows = {"clauses": [{"id": theirs.pk, "text": "att kapad", "ORDER": 1}]}
    response = client.post(_edit_url(paragraph), editor_data(paragraph, rows))
    assert response.status_code == 200
    theirs.refresh_from_db()
    assert theirs.text == "att inte röras" and theirs.paragraph_id == other.pk


def test_a_row_posted_twice_is_refused(client, alice, meeting):
    """Both copies edited the same row and the last one won silently."""
    paragraph = f.paragraph(meeting)
    clause = m.DecisionClause.objects.create(paragraph=paragraph, position=1, text="att A")
    client.force_login(alice)
    rows = {"clauses": [{"id": clause.pk, "text": "att X", "ORDER": 1}, {"id": clause.pk, "text": "att Y", "ORDER": 2}]}
    response = client.post(_edit_url(paragraph), editor_data(paragraph, rows))
    assert "En rad finns två gånger i formuläret" in response.content.decode()
    clause.refresh_from_db()
    assert clause.text == "att A"


def _refused(client, paragraph, rows):
    response = client.post(_edit_url(paragraph), editor_data(paragraph, rows))
    return response.status_code == 200 and "Välj ett giltigt alternativ" in response.content.decode()


def test_only_those_who_take_part_can_move(client, alice, meeting, people):
    """A yrkande is made by someone taking part in the decision: not an ersättare who only
    attends, not a member a deputy serves for, not a member with jäv."""
    bob_a, mia, ola = people
    erik = f.attend(meeting, f.person("Erik Ersättare"), kind=m.AttendanceKind.ERSATTARE)
    eva = f.attend(
        meeting, f.person("Eva Ersättare"), kind=m.AttendanceKind.TJANSTGORANDE_ERSATTARE, replaces=mia.person
    )
    paragraph = f.paragraph(meeting)
    m.Recusal.objects.create(paragraph=paragraph, person=ola.person)
    client.force_login(alice)
    for person in (erik, mia, ola):
        assert _refused(client, paragraph, {"motions": [{"person": person.person_id, "kind": "bifall", "ORDER": 1}]})
    assert not paragraph.motions.exists()
    rows = {
        "motions": [{"person": eva.person_id, "kind": "bifall", "ORDER": 1}],
        "recusals": [{"id": paragraph.recusals.get().pk, "person": ola.person_id, "substitute": ""}],
    }
    assert client.post(_edit_url(paragraph), editor_data(paragraph, rows)).status_code == 302
    assert paragraph.motions.get().person_id == eva.person_id


def test_jav_is_for_those_who_serve_and_the_substitute_is_a_deputy_who_does_not(client, alice, meeting, people):
    bob_a, mia, _ola = people
    erik = f.attend(meeting, f.person("Erik Ersättare"), kind=m.AttendanceKind.ERSATTARE)
    greta = f.attend(meeting, f.person("Greta Gäst"), kind=m.AttendanceKind.OVRIG)
    paragraph = f.paragraph(meeting)
    client.force_login(alice)
    for person, substitute in ((erik, ""), (greta, ""), (mia, bob_a.person_id), (mia, greta.person_id)):
        assert _refused(client, paragraph, {"recusals": [{"person": person.person_id, "substitute": substitute}]})
    assert not paragraph.recusals.exists()
    rows = {"recusals": [{"person": mia.person_id, "substitute": erik.person_id}]}
    assert client.post(_edit_url(paragraph), editor_data(paragraph, rows)).status_code == 302
    recusal = paragraph.recusals.get()
    assert (recusal.person_id, recusal.substitute_id) == (mia.person_id, erik.person_id)
    assert erik.person_id in {a.person_id for a in meeting.voters_for(paragraph)}


@pytest.mark.parametrize(
    ("absent", "warning"),
    [
        ((), None),
        (("mia", "ola"), "Beslutsförhet: bara 1 av 3 ledamöter tjänstgör"),
        (("bob", "mia", "ola"), "Beslutsförhet: ingen ledamot tjänstgör"),
    ],
)
def test_the_editor_warns_when_the_organ_cannot_decide(client, alice, meeting, people, absent, warning):
    """More than half of the members must serve (KL 6 kap. 27 §), so nobody serving is the clearest case."""
    for name, a in zip(("bob", "mia", "ola"), people, strict=True):
        if name in absent:
            a.absent = True
            a.save()
    paragraph = f.paragraph(meeting)
    client.force_login(alice)
    page = client.get(_edit_url(paragraph)).content.decode()
    if warning:
        assert warning in page
    else:
        assert "Beslutsförhet" not in page


def test_a_member_with_jav_is_not_offered_for_reservation(client, alice, meeting, people):
    _bob_a, _mia, ola = people
    paragraph = f.paragraph(meeting)
    m.Recusal.objects.create(paragraph=paragraph, person=ola.person)
    client.force_login(alice)
    rows = {"reservations": [{"persons": [ola.person_id], "motivation": ""}]}
    response = client.post(_edit_url(paragraph), editor_data(paragraph, rows))
    assert "Välj ett giltigt alternativ" in response.content.decode()


def test_a_stale_paragraph_save_is_refused(client, alice, meeting):
    paragraph = f.paragraph(meeting, title="Original")
    client.force_login(alice)
    loaded = editor_data(paragraph)
    assert client.post(_edit_url(paragraph), {**loaded, "title": "Alices ändring"}).status_code == 302
    response = client.post(_edit_url(paragraph), {**loaded, "title": "Bobs ändring", "summary": "Lång text"})
    assert response.status_code == 409
    assert "Någon annan har sparat ändringar i § 1" in response.content.decode()
    assert "Lång text" in response.content.decode()
    paragraph.refresh_from_db()
    assert (paragraph.title, paragraph.summary, paragraph.version) == ("Alices ändring", "", 2)


def test_a_stale_save_does_not_touch_sections_either(client, alice, meeting):
    paragraph = f.paragraph(meeting)
    client.force_login(alice)
    stale = editor_data(paragraph, {"clauses": [{"text": "att sent", "ORDER": 1}]})
    paragraph.title = "Ändrad av någon annan"
    paragraph.version += 1
    paragraph.save()
    assert client.post(_edit_url(paragraph), stale).status_code == 409
    assert not paragraph.clauses.exists()


def test_a_paragraph_deleted_while_saving_is_a_conflict_not_a_500(client, alice, meeting, monkeypatch):
    """Regression: the version claim used get() and a paragraph deleted by someone else between the
    page's fetch and the save's lock raised DoesNotExist."""
    from backoffice.views import common, paragraphs

    paragraph = f.paragraph(meeting)
    fetch = common.get_paragraph_for_editing

    def fetch_then_someone_deletes(request, pk, paragraph_pk):
        found = fetch(request, pk, paragraph_pk)
        m.Paragraph.objects.filter(pk=paragraph_pk).delete()
        return found

    monkeypatch.setattr(paragraphs, "get_paragraph_for_editing", fetch_then_someone_deletes)
    client.force_login(alice)
    data = editor_data(paragraph, {"clauses": [{"text": "att sent", "ORDER": 1}]}, title="Sent")
    response = client.post(_edit_url(paragraph), data)
    assert response.status_code == 409
    assert "Någon annan har sparat ändringar i § 1" in response.content.decode()
    assert not m.Paragraph.objects.exists() and not m.DecisionClause.objects.exists()


def test_a_save_after_the_protokoll_was_sent_to_justering_is_refused(client, alice, meeting, monkeypatch):
    from backoffice.views import common, paragraphs

    paragraph = f.paragraph(meeting, title="Original")
    fetch = common.get_paragraph_for_editing

    def fetch_then_someone_sends(request, pk, paragraph_pk):
        found = fetch(request, pk, paragraph_pk)
        m.Meeting.objects.filter(pk=pk).update(status=m.MeetingStatus.UNDER_JUSTERING)
        return found

    monkeypatch.setattr(paragraphs, "get_paragraph_for_editing", fetch_then_someone_sends)
    client.force_login(alice)
    response = client.post(_edit_url(paragraph), editor_data(paragraph, title="Sent"))
    assert response.status_code == 409
    assert "Protokollet är under justering och kan inte längre ändras här" in response.content.decode()
    paragraph.refresh_from_db()
    assert (paragraph.title, paragraph.version) == ("Original", 1)


def test_no_paragraph_is_added_after_the_protokoll_was_sent_to_justering(client, alice, meeting, monkeypatch):
    from backoffice.views import common, paragraphs

    fetch = common.get_meeting_for_editing

    def fetch_then_someone_sends(request, pk):
        found = fetch(request, pk)
        m.Meeting.objects.filter(pk=pk).update(status=m.MeetingStatus.UNDER_JUSTERING)
        return found

    monkeypatch.setattr(paragraphs, "get_meeting_for_editing", fetch_then_someone_sends)
    client.force_login(alice)
    response = client.post(reverse("paragraph_create", args=[meeting.pk]), {"title": "Sent", "number": 40})
    assert response.status_code == 409
    assert not meeting.paragraphs.exists()


def test_the_number_can_be_changed_but_not_to_a_taken_one(client, alice, meeting):
    first = f.paragraph(meeting)
    second = f.paragraph(meeting)
    client.force_login(alice)
    page = client.post(_edit_url(second), editor_data(second, number=first.number)).content.decode()
    assert f"§ {first.number} finns redan" in page
    assert client.post(_edit_url(second), editor_data(second, number=77)).status_code == 302
    second.refresh_from_db()
    assert second.number == 77


def test_copy_proposal_into_the_decision(client, alice, meeting):
    paragraph = f.paragraph(meeting)
    client.force_login(alice)
    proposal = "Förvaltningen föreslår\natt anta planen,\nsom bilaga 1\n\natt lägga ärendet till handlingarna."
    response = client.post(_edit_url(paragraph), editor_data(paragraph, proposal=proposal, action="copy_proposal"))
    assert response.status_code == 302
    assert [c.text for c in paragraph.clauses.all()] == [
        "att anta planen, som bilaga 1",
        "att lägga ärendet till handlingarna.",
    ]
    paragraph.refresh_from_db()
    # A second copy would duplicate the decision: it is refused with a message.
    response = client.post(_edit_url(paragraph), editor_data(paragraph, action="copy_proposal"), follow=True)
    assert "Beslutet har redan text" in response.content.decode()
    assert paragraph.clauses.count() == 2


def test_a_proposal_without_att_becomes_free_text(client, alice, meeting):
    paragraph = f.paragraph(meeting)
    client.force_login(alice)
    data = editor_data(paragraph, proposal="Informationen noteras.", action="copy_proposal")
    client.post(_edit_url(paragraph), data)
    paragraph.refresh_from_db()
    assert paragraph.decision_text == "Informationen noteras."


def _order(meeting):
    return list(meeting.paragraphs.order_by("position", "number").values_list("title", "number"))


def test_moving_changes_positions_but_not_numbers(client, alice, meeting):
    a, b, c = (f.paragraph(meeting, title=t) for t in "ABC")
    client.force_login(alice)
    response = client.post(reverse("paragraph_move", args=[meeting.pk, c.pk]), {"direction": "up"})
    assert response.status_code == 302
    assert _order(meeting) == [("A", a.number), ("C", c.number), ("B", b.number)]
    client.post(reverse("paragraph_move", args=[meeting.pk, a.pk]), {"direction": "up"})  # already first
    client.post(reverse("paragraph_move", args=[meeting.pk, a.pk]), {"direction": "down"})
    assert _order(meeting) == [("C", 3), ("A", 1), ("B", 2)]
    assert client.post(reverse("paragraph_move", args=[meeting.pk, a.pk]), {"direction": "sideways"}).status_code == 302
    assert _order(meeting) == [("C", 3), ("A", 1), ("B", 2)]


def test_renumbering_follows_the_order_without_collisions(client, alice, meeting, organ):
    a, b, c = (f.paragraph(meeting, title=t) for t in "ABC")  # §§ 1-3
    later = f.paragraph(f.meeting(organ, diarienummer="KS 2026/9"), title="Senare")  # § 4
    client.force_login(alice)
    client.post(reverse("paragraph_move", args=[meeting.pk, c.pk]), {"direction": "up"})
    client.post(reverse("paragraph_move", args=[meeting.pk, c.pk]), {"direction": "up"})
    assert "Numrera om i ordning" in client.get(reverse("paragraph_list", args=[meeting.pk])).content.decode()
    assert client.post(reverse("paragraph_renumber", args=[meeting.pk])).status_code == 302
    assert _order(meeting) == [("C", 1), ("A", 2), ("B", 3)]
    later.refresh_from_db()
    assert later.number == 4
    c.refresh_from_db()
    assert c.version == 2  # an editor opened before the renumbering cannot put the old number back


def test_delete_needs_the_current_version(client, alice, meeting):
    paragraph = f.paragraph(meeting)
    url = reverse("paragraph_delete", args=[meeting.pk, paragraph.pk])
    client.force_login(alice)
    assert client.post(url, {"version": 99}).status_code == 409
    assert client.post(url, {"version": "x"}).status_code == 200
    assert client.post(url, {"version": paragraph.version}).status_code == 302
    assert not meeting.paragraphs.exists()


def test_oversized_requests_are_refused_without_a_500(client, alice, meeting):
    paragraph = f.paragraph(meeting)
    client.force_login(alice)
    data = editor_data(paragraph, summary="x" * (3 * 1024 * 1024))
    assert client.post(_edit_url(paragraph), data).status_code == 400


def test_garbage_management_forms_do_not_crash(client, alice, meeting):
    paragraph = f.paragraph(meeting)
    client.force_login(alice)
    data = editor_data(paragraph)
    data["clauses-TOTAL_FORMS"] = "99999999"
    assert client.post(_edit_url(paragraph), data).status_code == 200
    data["clauses-TOTAL_FORMS"] = "abc"
    assert client.post(_edit_url(paragraph), data).status_code == 200
    del data["motions-TOTAL_FORMS"]
    assert client.post(_edit_url(paragraph), data).status_code == 200
