"""Who may use each drafting view: alice (the organ's secretary) and admins edit; bob (the chair)
may read the meeting but gets 403 on every editing view; charlie gets 404; anonymous users are sent
to the login page. Only drafts (utkast, återsänt) are editable."""

import pytest
from django.urls import reverse

from meetings import models as m
from tests import factories as f


@pytest.fixture
def setup(meeting):
    paragraph = f.paragraph(meeting, title="Budget")
    vote = m.Vote.objects.create(paragraph=paragraph, ja_means="bifall", nej_means="avslag")
    return meeting, paragraph, vote


def _urls(meeting, paragraph, vote):
    mp = [meeting.pk, paragraph.pk]
    return {
        "meeting_edit": reverse("meeting_edit", args=[meeting.pk]),
        "attendance": reverse("attendance", args=[meeting.pk]),
        "paragraph_list": reverse("paragraph_list", args=[meeting.pk]),
        "paragraph_create": reverse("paragraph_create", args=[meeting.pk]),
        "paragraph_renumber": reverse("paragraph_renumber", args=[meeting.pk]),
        "paragraph_edit": reverse("paragraph_edit", args=mp),
        "paragraph_move": reverse("paragraph_move", args=mp),
        "paragraph_delete": reverse("paragraph_delete", args=mp),
        "vote_create": reverse("vote_create", args=mp),
        "vote_edit": reverse("vote_edit", args=[*mp, vote.pk]),
        "vote_delete": reverse("vote_delete", args=[*mp, vote.pk]),
    }


EDIT_VIEWS = [
    "meeting_edit",
    "attendance",
    "paragraph_list",
    "paragraph_create",
    "paragraph_renumber",
    "paragraph_edit",
    "paragraph_move",
    "paragraph_delete",
    "vote_create",
    "vote_edit",
    "vote_delete",
]
POST_ONLY = {"paragraph_renumber", "paragraph_move", "vote_delete"}


@pytest.mark.parametrize("name", EDIT_VIEWS)
def test_secretary_may_open_each_editing_view(client, alice, setup, name):
    client.force_login(alice)
    url = _urls(*setup)[name]
    if name in POST_ONLY:
        assert client.get(url).status_code == 405
    else:
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("name", EDIT_VIEWS)
def test_administrator_may_open_each_editing_view(client, admin_user, setup, name):
    client.force_login(admin_user)
    url = _urls(*setup)[name]
    assert client.get(url).status_code == (405 if name in POST_ONLY else 200)


@pytest.mark.parametrize("name", EDIT_VIEWS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_chair_may_read_but_not_edit(client, bob, setup, name, method):
    client.force_login(bob)
    url = _urls(*setup)[name]
    if method == "get" and name in POST_ONLY:
        return
    assert getattr(client, method)(url, {"version": 1}).status_code == 403


@pytest.mark.parametrize("name", EDIT_VIEWS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_outsider_gets_404(client, charlie, setup, name, method):
    client.force_login(charlie)
    url = _urls(*setup)[name]
    if method == "get" and name in POST_ONLY:
        return
    assert getattr(client, method)(url, {"version": 1}).status_code == 404


@pytest.mark.parametrize("name", EDIT_VIEWS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_is_sent_to_login(client, setup, name, method):
    url = _urls(*setup)[name]
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", EDIT_VIEWS)
@pytest.mark.parametrize("status", [m.MeetingStatus.UNDER_JUSTERING, m.MeetingStatus.JUSTERAT])
def test_only_drafts_are_editable(client, alice, setup, name, status):
    meeting = setup[0]
    meeting.status = status
    meeting.save(update_fields=["status"])
    client.force_login(alice)
    assert client.post(_urls(*setup)[name], {"version": meeting.version}).status_code == 403


def test_returned_meeting_is_editable_again(client, alice, setup):
    meeting = setup[0]
    meeting.status = m.MeetingStatus.ATERSANT
    meeting.save(update_fields=["status"])
    client.force_login(alice)
    assert client.get(reverse("meeting_edit", args=[meeting.pk])).status_code == 200


@pytest.mark.parametrize("user_fixture", ["alice", "bob", "admin_user"])
def test_readers_may_see_meeting_page_and_preview(client, setup, user_fixture, request):
    client.force_login(request.getfixturevalue(user_fixture))
    meeting = setup[0]
    assert client.get(reverse("meeting_detail", args=[meeting.pk])).status_code == 200
    assert client.get(reverse("preview", args=[meeting.pk])).status_code == 200


def test_outsider_and_anonymous_cannot_see_preview(client, charlie, setup):
    url = reverse("preview", args=[setup[0].pk])
    assert client.get(url).status_code == 302
    client.force_login(charlie)
    assert client.get(url).status_code == 404


def test_create_meeting_needs_a_secretary_organ(client, bob, charlie, alice, organ):
    url = reverse("meeting_create")
    assert client.get(url).status_code == 302
    client.force_login(bob)
    assert client.get(url).status_code == 403
    client.force_login(charlie)
    assert client.post(url, {"organ": organ.pk}).status_code == 403
    client.force_login(alice)
    assert client.get(url).status_code == 200


def test_secretary_cannot_create_a_meeting_for_another_organ(client, alice):
    other = f.organ("BUN")
    client.force_login(alice)
    data = {"organ": other.pk, "date": "2026-05-01", "start_time": "09:00", "place": "Salen"}
    response = client.post(reverse("meeting_create"), data)
    assert response.status_code == 200
    assert "Välj ett giltigt alternativ" in response.content.decode()
    assert not m.Meeting.objects.filter(organ=other).exists()


def test_secretary_of_another_organ_gets_404(client, setup):
    other_secretary = f.user("dora")
    f.organ("BUN").secretaries.add(other_secretary)
    client.force_login(other_secretary)
    for url in _urls(*setup).values():
        assert client.post(url, {"version": 1}).status_code == 404


def test_paragraph_of_another_meeting_is_404(client, alice, setup, organ):
    meeting, _paragraph, vote = setup
    elsewhere = f.paragraph(f.meeting(organ, diarienummer="KS 2026/2"), title="Annat")
    client.force_login(alice)
    assert client.get(reverse("paragraph_edit", args=[meeting.pk, elsewhere.pk])).status_code == 404
    move = reverse("paragraph_move", args=[meeting.pk, elsewhere.pk])
    assert client.post(move, {"direction": "up"}).status_code == 404
    assert client.get(reverse("vote_edit", args=[meeting.pk, elsewhere.pk, vote.pk])).status_code == 404


@pytest.mark.parametrize("pk", ["99999999999999999999999", "0", "2147483648"])
def test_huge_or_unknown_ids_are_404(client, alice, setup, pk):
    client.force_login(alice)
    meeting = setup[0]
    for path in (f"/sammantraden/{pk}/andra/", f"/sammantraden/{meeting.pk}/paragrafer/{pk}/"):
        assert client.get(path).status_code == 404


def test_non_numeric_ids_are_404(client, alice, setup):
    client.force_login(alice)
    assert client.get("/sammantraden/abc/andra/").status_code == 404
    assert client.get(f"/sammantraden/{setup[0].pk}/paragrafer/x1/").status_code == 404
