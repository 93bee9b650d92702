"""The dashboard and the meeting page: who may see what (the login page: tests/accounts)."""

from django.urls import reverse

from tests import factories as f


def test_dashboard_requires_login(client, db):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_secretary_sees_meeting_on_dashboard_and_page(client, alice, meeting):
    f.paragraph(meeting, title="Budget")
    client.force_login(alice)
    assert "KS 2026/100" in client.get(reverse("dashboard")).content.decode()
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Budget" in page
    preview = client.get(reverse("preview", args=[meeting.pk])).content.decode()
    assert "Budget" in preview and "UTKAST – EJ JUSTERAT" in preview


def test_chair_of_the_meeting_may_read_it(client, bob, meeting):
    client.force_login(bob)
    assert client.get(meeting.get_absolute_url()).status_code == 200


def test_outsider_gets_404(client, charlie, meeting):
    client.force_login(charlie)
    assert client.get(meeting.get_absolute_url()).status_code == 404
    assert "KS 2026/100" not in client.get(reverse("dashboard")).content.decode()


def test_anonymous_is_sent_to_login(client, meeting):
    response = client.get(meeting.get_absolute_url())
    assert response.status_code == 302
