"""The kallelse pages: the secretary builds the agenda, downloads and sends the kallelse, announces a
fullmäktige meeting and makes the protokoll from the agenda; members read their kallelse and
handlingar; outsiders see nothing. Queries stay fixed with 5 and 50 points."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings import models as m
from meetings.services import agenda
from tests import factories as f
from tests.helpers import client_for, handling

pytestmark = pytest.mark.django_db


@pytest.fixture
def upcoming(organ, bob):
    bob.person.email = "bob@example.se"
    bob.person.save()
    f.member(organ, "Mia Ledamot", "S", email="mia@example.se")
    f.member(organ, "Erik Ersättare", "S", m.MembershipRole.ERSATTARE)
    return f.meeting(organ, date=datetime.date(2026, 5, 14), diarienummer="KS 2026/140")


@pytest.fixture
def paper(organ):
    paper = f.paper(organ, "Detaljplan", reference="KS 2026/512", proposal="att godkänna planen")
    handling(paper, "Tjänsteskrivelse")
    handling(paper, "Värdering", public=False)
    return paper


def _post(client, meeting, **data):
    return client.post(reverse("kallelse", args=[meeting.pk]), data, follow=True)


def test_who_reaches_the_kallelse_pages(client, alice, bob, charlie, upcoming):
    staff, members, pdf = (reverse(n, args=[upcoming.pk]) for n in ("kallelse", "meeting_kallelse", "kallelse_pdf"))
    assert client_for(alice).get(staff).status_code == 200
    assert client_for(bob).get(staff).url == members  # a member reads, does not build
    assert client_for(bob).get(members).status_code == 200
    for url in (staff, members, pdf):
        assert client_for(charlie).get(url).status_code == 404
        assert client.get(url).status_code == 302  # anonymous: to the login page
    assert client_for(charlie).post(staff, {"action": "send"}).status_code == 404
    assert not m.Kallelse.objects.exists()


def test_building_the_agenda(alice, upcoming, paper):
    client = client_for(alice)
    page = _post(client, upcoming, action="add_standing").content.decode()
    assert "5 stående punkter är tillagda först på föredragningslistan." in page
    page = _post(client, upcoming, action="add_paper", **{"paper-paper": paper.pk}).content.decode()
    assert "Detaljplan är tillagt på föredragningslistan." in page
    page = _post(client, upcoming, action="add_free", **{"free-name": "Meddelanden"}).content.decode()
    items = list(upcoming.agenda_items.order_by("position"))
    assert [i.name for i in items][-2:] == ["Detaljplan", "Meddelanden"]
    assert "Dnr <a" in page and "Tjänsteskrivelse" in page
    # The ärende can no longer be chosen: it is on the agenda.
    response = _post(client, upcoming, action="add_paper", **{"paper-paper": paper.pk})
    assert response.redirect_chain == [] and response.status_code == 400
    client.post(reverse("agenda_item_move", args=[upcoming.pk, items[-1].pk]), {"direction": "up"})
    assert list(upcoming.agenda_items.order_by("position"))[-2].name == "Meddelanden"


def test_editing_and_removing_a_point(alice, upcoming, paper):
    item = agenda.add_paper_item(upcoming, paper)
    client = client_for(alice)
    url = reverse("agenda_item_edit", args=[upcoming.pk, item.pk])
    data = {"name": "Detaljplan, samråd", "proposal": "att godkänna samrådet", "public": "on", "version": 1}
    assert client.post(url, data).status_code == 302
    assert client.post(url, {**data, "name": "Gammal flik"}).status_code == 409
    item.refresh_from_db()
    assert (item.name, item.proposal, item.version) == ("Detaljplan, samråd", "att godkänna samrådet", 2)
    assert client.post(url, {"action": "delete"}).status_code == 302
    assert not upcoming.agenda_items.exists()


def test_the_kallelse_pdf_is_downloaded_by_the_secretary_and_the_members(alice, bob, upcoming, paper):
    agenda.add_paper_item(upcoming, paper)
    for user in (alice, bob):
        response = client_for(user).get(reverse("kallelse_pdf", args=[upcoming.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert 'filename="Kallelse KSAU 2026-05-14.pdf"' in response["Content-Disposition"]
        assert response.content.startswith(b"%PDF-")


def test_sending_says_who_got_it_and_who_must_be_called_otherwise(
    alice, upcoming, paper, django_capture_on_commit_callbacks
):
    """Review A 11: the message says what the outbox has done, never "skickad" for mail only queued."""
    agenda.add_paper_item(upcoming, paper)
    client = client_for(alice)
    with django_capture_on_commit_callbacks(execute=True):
        page = _post(client, upcoming, action="send").content.decode()
    # The test's transaction commits only after the page is made: nothing had been sent then.
    assert (
        "Kallelsen: 0 av 3 ledamöter och ersättare fick e-post; e-posten till Bob Ordförande och Mia Ledamot "
        "väntar på att skickas; Erik Ersättare saknar e-postadress. Den som saknar e-postadress behöver kallas "
        "på annat sätt." in page
    )
    assert len(mail.outbox) == 2
    page = client.get(reverse("kallelse", args=[upcoming.pk])).content.decode()
    assert "Skicka kallelsen igen" in page
    assert "2 av 3 ledamöter och ersättare fick e-post; Erik Ersättare saknar e-postadress." in page


def test_the_members_page_links_every_handling(bob, upcoming, paper):
    agenda.add_paper_item(upcoming, paper)
    page = client_for(bob).get(reverse("meeting_kallelse", args=[upcoming.pk])).content.decode()
    for file in paper.files.all():
        assert reverse("file_download", args=[file.pk]) in page
    assert "Ändra punkt" not in page


def test_the_protokoll_is_made_from_the_agenda(alice, upcoming, paper):
    agenda.add_free_item(upcoming, "Val av justerare")
    agenda.add_paper_item(upcoming, paper)
    client = client_for(alice)
    response = _post(client, upcoming, action="protokoll")
    assert response.redirect_chain[-1][0] == reverse("paragraph_list", args=[upcoming.pk])
    assert "2 paragrafer är skapade från föredragningslistan" in response.content.decode()
    assert list(upcoming.paragraphs.order_by("position").values_list("title", "dnr")) == [
        ("Val av justerare", ""),
        ("Detaljplan", "KS 2026/512"),
    ]
    assert (
        "Alla punkter på föredragningslistan har redan en paragraf."
        in _post(client, upcoming, action="protokoll").content.decode()
    )


def test_a_protokoll_under_justering_freezes_the_agenda(alice, upcoming, paper):
    item = agenda.add_paper_item(upcoming, paper)
    m.Meeting.objects.filter(pk=upcoming.pk).update(status=m.MeetingStatus.UNDER_JUSTERING)
    client = client_for(alice)
    assert "kan inte längre ändras" in client.get(reverse("kallelse", args=[upcoming.pk])).content.decode()
    assert client.post(reverse("kallelse", args=[upcoming.pk]), {"action": "add_standing"}).status_code == 403
    assert (
        client.post(reverse("agenda_item_edit", args=[upcoming.pk, item.pk]), {"action": "delete"}).status_code == 403
    )
    assert upcoming.agenda_items.count() == 1


@pytest.fixture
def kf_meeting(alice):
    organ = f.organ("KF", name="Kommunfullmäktige", kind=m.OrganKind.FULLMAKTIGE)
    organ.secretaries.add(alice)
    meeting = f.meeting(organ, date=timezone.localdate() + datetime.timedelta(days=10), diarienummer="KF 2026/1")
    agenda.add_free_item(meeting, "Val av justerare")
    return meeting


def test_a_fullmaktige_meeting_is_announced_with_its_deadline(alice, kf_meeting):
    client = client_for(alice)
    page = client.get(reverse("kallelse", args=[kf_meeting.pk])).content.decode()
    assert f"senast <strong>{kf_meeting.notice_deadline:%Y-%m-%d}</strong>" in page
    assert "kommunallagen 5 kap. 13 §" in page
    today = timezone.localdate()
    page = _post(client, kf_meeting, action="notice", **{"notice-posted_on": today.isoformat()}).content.decode()
    assert f"Tillkännagivandet sätts upp på anslagstavlan {today:%Y-%m-%d}." in page
    assert "Visa på anslagstavlan" in page


def test_a_late_notice_is_put_up_with_a_warning(alice, kf_meeting):
    late = kf_meeting.notice_deadline + datetime.timedelta(days=1)
    page = _post(
        client_for(alice), kf_meeting, action="notice", **{"notice-posted_on": late.isoformat()}
    ).content.decode()
    assert "minst en vecka före sammanträdesdagen (kommunallagen 5 kap. 13 §)" in page
    assert m.MeetingNotice.objects.get().posted_on == late


def test_a_namnd_has_no_notice_form(alice, upcoming):
    assert (
        "Tillkännagivande på anslagstavlan"
        not in client_for(alice).get(reverse("kallelse", args=[upcoming.pk])).content.decode()
    )
    agenda.add_free_item(upcoming, "Upprop")
    page = _post(client_for(alice), upcoming, action="notice", **{"notice-posted_on": "2026-05-01"}).content.decode()
    assert "Bara fullmäktiges sammanträden tillkännages" in page


# ---------------------------------------------------------------------------------------------------
# Queries do not grow with the agenda
# ---------------------------------------------------------------------------------------------------


def _agenda_of(meeting, size: int) -> None:
    for i in range(size):
        paper = f.paper(meeting.organ, f"Ärende {i}")
        handling(paper, "Tjänsteskrivelse")
        handling(paper, "Bilaga", public=False)
        agenda.add_paper_item(meeting, paper)
        agenda.add_free_item(meeting, f"Punkt {i}")


def _count(client, url) -> int:
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", ["kallelse", "meeting_kallelse"])
def test_kallelse_pages_do_a_fixed_number_of_queries(organ, alice, page):
    meetings = {size: f.meeting(organ, diarienummer=f"KS {size}") for size in (5, 50)}
    for size, meeting in meetings.items():
        _agenda_of(meeting, size)
    # Each page can add the other meeting's ärenden, so both render the same forms.
    counts = {size: _count(client_for(alice), reverse(page, args=[mt.pk])) for size, mt in meetings.items()}
    assert counts[5] == counts[50], counts


def test_the_public_notice_does_a_fixed_number_of_queries(client, alice, kf_meeting):
    counts = {}
    for size in (5, 50):
        meeting = f.meeting(kf_meeting.organ, date=kf_meeting.date, diarienummer=f"KF {size}")
        _agenda_of(meeting, size)
        notice = agenda.post_notice(meeting, alice, timezone.localdate(), timezone.localdate())
        counts[size] = _count(client, reverse("public_notice", args=[notice.pk]))
    assert counts[5] == counts[50], counts
