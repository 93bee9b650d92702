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
    assert "§ 1 Andra" in page
    assert (
        "<strong>Rubrik</strong>:" in page
        and '<span class="pre-line">Första</span> → <span class="pre-line">Andra</span>' in page
    )
    for user in (bob, charlie):
        client.force_login(user)
        assert client.get(url).status_code == 404


def test_history_page_queries_do_not_grow_with_entries(client, alice, meeting, django_assert_max_num_queries):
    for i in range(30):
        m.DecisionClause.objects.create(paragraph=f.paragraph(meeting), text=f"att göra {i}")
    client.force_login(alice)
    with django_assert_max_num_queries(30):
        assert client.get(reverse("meeting_history", args=[meeting.pk])).status_code == 200


def test_history_speaks_swedish_in_full(client, ready, alice, bob):
    from meetings.services import justering as justering_service

    justering = justering_service.send_to_justering(ready, alice)
    justering_service.send_back(justering, bob.person, "Rätta beslutet.")
    long_text = "Förvaltningen har utrett frågan. " * 6
    paragraph = ready.paragraphs.get(title="Budget")
    paragraph.summary = long_text
    paragraph.save()
    paragraph.summary = long_text + "Nu med en sista mening."
    paragraph.save()
    f.attend(ready, f.person("Greta Gäst"), kind=m.AttendanceKind.OVRIG).paragraphs.set([paragraph])
    client.force_login(alice)
    page = client.get(reverse("meeting_history", args=[ready.pk])).content.decode()
    assert "<strong>Status</strong>:" in page
    assert '<span class="pre-line">Under justering</span> → <span class="pre-line">Återsänt</span>' in page
    assert "atersant" not in page and "under_justering" not in page and "proposition_order" not in page
    assert "<strong>Sammanfattning</strong>" in page and "<ins>Nu med en sista mening.</ins>" in page
    assert long_text.strip() in page.replace("<ins>", "").replace("</ins>", "")  # in full, not cut
