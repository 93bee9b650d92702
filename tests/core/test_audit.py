"""Every create, change and delete of meeting data records who, when and what changed."""

from django.test import Client
from django.urls import reverse

from meetings import models as m
from meetings.audit import meeting_history
from tests import factories as f


def test_create_change_delete_are_logged_with_fields(meeting):
    p = f.paragraph(meeting, title="Första rubrik")
    clause = m.DecisionClause.objects.create(paragraph=p, text="att göra något")
    p.title = "Ny rubrik"
    p.save()
    clause.delete()
    entries = meeting_history(meeting)
    actions = [(e.model, e.action) for e in entries]
    assert actions[:3] == [("att-sats", "Borttagen"), ("paragraf", "Ändrad"), ("att-sats", "Skapad")]
    change = entries[1].changes
    assert [(c.field, c.label, c.before, c.after) for c in change] == [
        ("title", "Rubrik", "Första rubrik", "Ny rubrik")
    ]
    assert ("sammanträde", "Skapad") in actions


def test_log_survives_deleting_the_paragraph(meeting):
    p = f.paragraph(meeting)
    vote = m.Vote.objects.create(paragraph=p, ja_means="A", nej_means="B")
    m.VoteCast.objects.create(vote=vote, person=f.person("Röstare"), choice="ja")
    p.delete()
    models = {(e.model, e.action) for e in meeting_history(meeting)}
    assert {("paragraf", "Borttagen"), ("röst", "Borttagen"), ("omröstning", "Skapad")} <= models


def test_the_user_of_the_request_is_recorded(admin_user, meeting):
    client = Client()
    client.force_login(admin_user)
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "date": "2026-03-10",
            "start_time": "09:00",
            "end_time": "11:00",
            "place": "Stora salen",
            "status": "utkast",
            "organ": meeting.organ_id,
            "chair": meeting.chair_id,
            "diarienummer": meeting.diarienummer,
        }
    )
    for prefix in ("attendances", "paragraphs"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    latest = meeting_history(meeting)[0]
    assert latest.user == admin_user
    assert [(c.field, c.new) for c in latest.changes] == [("place", "Stora salen")]
