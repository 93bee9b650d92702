"""The history page of a meeting: for the organ's secretary only, with a fixed number of queries."""

from django.urls import reverse

from meetings import models as m
from tests import factories as f


def test_history_page_for_the_secretary_only(client, alice, bob, charlie, meeting):
    p = f.paragraph(meeting, title="Första")
    p.title = "Andra"
    p.save()
    url = reverse("meeting_history", args=[meeting.pk])
    client.force_login(alice)
    page = client.get(url).content.decode()
    assert "§ 1 Andra" in page and "Första → Andra" in page
    for user in (bob, charlie):
        client.force_login(user)
        assert client.get(url).status_code == 404


def test_history_page_queries_do_not_grow_with_entries(client, alice, meeting, django_assert_max_num_queries):
    for i in range(30):
        m.DecisionClause.objects.create(paragraph=f.paragraph(meeting), text=f"att göra {i}")
    client.force_login(alice)
    with django_assert_max_num_queries(30):
        assert client.get(reverse("meeting_history", args=[meeting.pk])).status_code == 200
