"""Documents made once, by a worker: the sealed PDFs when a protokoll becomes justerat, the public
version when the anslag is posted and after a rättelse; a "being prepared" page until then; public
pages with validators and 304; cached lists that every app server sees change."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from meetings import models as m
from meetings.services import anslag as anslag_service
from meetings.services import correction as correction_service
from meetings.services import documents
from meetings.services import justering as justering_service
from tests.helpers import SECRET_WORDS, WORKER_TASKS, make_anslag, run_worker


def stored_files(media_root: Path, prefix: str) -> list[Path]:
    return sorted((media_root / prefix).rglob("*.*")) if (media_root / prefix).exists() else []


@pytest.fixture
def worker_backend(settings):
    settings.TASKS = WORKER_TASKS


def _sign_all_capturing(justering, capture) -> None:
    for s in list(justering.signatures.filter(status="pagar")):
        with capture(execute=True):
            justering_service.sign(justering, s.person)


def test_becoming_justerat_queues_the_sealed_protokoll_and_an_extract_per_paragraph(
    justering, worker_backend, media_root, django_capture_on_commit_callbacks
):
    _sign_all_capturing(justering, django_capture_on_commit_callbacks)
    # The signing request only queued the work: nothing is rendered yet.
    assert stored_files(media_root, "protokoll-pdf") == [] and not m.IssuedPdf.objects.exists()
    run_worker()
    variants = sorted(m.IssuedPdf.objects.values_list("variant", "numbers"))
    assert variants == [("protokoll", ""), ("utdrag", "§ 1"), ("utdrag", "§ 2")]
    assert len(stored_files(media_root, "protokoll-pdf")) == 3


def test_running_a_task_twice_stores_one_file(justerat, media_root):
    meeting_id = justerat.meeting_id
    assert documents.render_document(meeting_id, None) is True
    assert documents.render_document(meeting_id, None) is False
    documents.render_justerat_documents(justerat.pk)
    documents.render_justerat_documents(justerat.pk)
    assert len(stored_files(media_root, "protokoll-pdf")) == 4  # the Protokoll and 3 extracts
    assert m.IssuedPdf.objects.filter(variant="protokoll").count() == 1


def test_a_download_before_the_task_is_done_gets_a_page_that_refreshes(client, alice, justerat, worker_backend):
    client.force_login(alice)
    url = reverse("protokoll_pdf", args=[justerat.meeting_id])
    response = client.get(url)
    assert response.status_code == 202 and response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    # It asks the server until the file is ready, then fetches it (static/js/preparing.js).
    assert "förbereds" in page and f'data-poll-url="{url}"' in page and "js/preparing.js" in page
    assert "no-store" in response["Cache-Control"]
    # The page queued the task itself (its first one may have died with a worker); refreshing does
    # not queue it again.
    client.get(url)
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.filter(task_path="meetings.tasks.render_document").count() == 1
    run_worker()
    response = client.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_an_outsider_gets_no_preparing_page(client, charlie, justerat, worker_backend):
    client.force_login(charlie)
    assert client.get(reverse("protokoll_pdf", args=[justerat.meeting_id])).status_code == 404


def test_the_anslag_shows_its_facts_at_once_and_the_protokoll_once_stored(
    client, justerat, alice, worker_backend, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        anslag = anslag_service.post_anslag(justerat, alice, timezone.localdate())
    page = client.get(anslag.get_absolute_url())
    text = page.content.decode()
    assert page.status_code == 200 and "Sista dag för överklagande" in text
    pdf_url = reverse("public_anslag_pdf", args=[anslag.pk])
    assert "förbereds" in text and f'data-poll-url="{pdf_url}"' in text and f'href="{pdf_url}"' not in text
    pdf = client.get(reverse("public_anslag_pdf", args=[anslag.pk]))
    assert pdf.status_code == 202 and "Protokollet förbereds" in pdf.content.decode()
    assert client.head(pdf_url).status_code == 202  # what the page's script asks
    run_worker()
    page = client.get(anslag.get_absolute_url())
    text = page.content.decode()
    assert 'id="paragraf-1"' in text and "förbereds" not in text and "data-poll-url" not in text
    assert not any(word in text for word in SECRET_WORDS)
    assert client.get(reverse("public_anslag_pdf", args=[anslag.pk])).content.startswith(b"%PDF")


def test_public_pdf_and_page_revalidate_with_304(client, posted):
    for url in (posted.get_absolute_url(), reverse("public_anslag_pdf", args=[posted.pk])):
        first = client.get(url)
        assert first.status_code == 200
        assert "public" in first["Cache-Control"] and "max-age=300" in first["Cache-Control"]
        etag, modified = first["ETag"], first["Last-Modified"]
        again = client.get(url, headers={"if-none-match": etag})
        assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
        assert client.get(url, headers={"if-modified-since": modified}).status_code == 304
        old = http_date((timezone.now() - dt.timedelta(days=1)).timestamp())
        assert client.get(url, headers={"if-modified-since": old}).status_code == 200
        assert client.get(url, headers={"if-none-match": '"something-else"'}).status_code == 200


def test_a_correction_renders_a_new_public_version(client, posted, alice, django_capture_on_commit_callbacks):
    url = posted.get_absolute_url()
    before = client.get(url)
    budget = posted.meeting.paragraphs.get(title="Budget")
    with django_capture_on_commit_callbacks(execute=True):
        correction_service.correct(budget, "title", "Budget 2027", "Fel årtal", alice)
    posted.refresh_from_db()
    assert posted.public_revision == posted.rendered_revision == 2
    after = client.get(url, headers={"if-none-match": before["ETag"]})
    assert after.status_code == 200 and after["ETag"] != before["ETag"]
    assert "Budget 2027" in after.content.decode()


def test_a_task_that_started_before_a_correction_records_nothing(posted, monkeypatch):
    stored_before = posted.public_html_name
    render = documents.anslag_document

    def corrected_meanwhile(anslag):
        # A rättelse commits while this task renders the text it read before.
        m.Anslag.objects.filter(pk=anslag.pk).update(public_revision=anslag.public_revision + 1)
        doc = render(anslag)
        doc.paragraphs[0].paragraph.title = "Gammal rubrik"
        return doc

    monkeypatch.setattr(documents, "anslag_document", corrected_meanwhile)
    assert documents.render_public_version(posted.pk) == "outdated"
    posted.refresh_from_db()
    assert posted.public_html_name == stored_before == "" and posted.rendered_revision is None


def _board_has(client, anslag) -> bool:
    return anslag.get_absolute_url() in client.get(reverse("public_board")).content.decode()


def _server(location: str):
    return override_settings(
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": location}}
    )


def test_a_posting_on_one_server_shows_on_the_board_of_another(client, justerat, alice, settings):
    """Two app servers, each with its own local-memory cache, one database: the generation in the
    database decides (here read on every request: PUBLICATION_CACHE_SECONDS 0)."""
    settings.PUBLICATION_CACHE_SECONDS = 0
    with _server("a"):
        assert "inga anslag" in client.get(reverse("public_board")).content.decode()  # cached on A
    with _server("b"):
        anslag = anslag_service.post_anslag(justerat, alice, timezone.localdate())
    with _server("a"):
        assert _board_has(client, anslag)
        assert anslag.get_absolute_url() in client.get(reverse("public_feed")).content.decode()


def test_with_a_shared_cache_the_change_shows_at_once(client, justerat, alice, django_capture_on_commit_callbacks):
    """Redis in production: the generation kept in the cache is dropped when the posting commits."""
    with _server("shared"):
        assert "inga anslag" in client.get(reverse("public_board")).content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            anslag = anslag_service.post_anslag(justerat, alice, timezone.localdate())
        assert _board_has(client, anslag)


def test_archiving_and_a_correction_change_the_cached_lists(
    client, justerat, alice, django_capture_on_commit_callbacks
):
    posted_on = timezone.localdate() - dt.timedelta(days=40)
    anslag = make_anslag(justerat, alice, posted_on)
    archive = reverse("public_archive")
    first = client.get(archive)
    assert anslag.get_absolute_url() in first.content.decode()
    generation = m.PublicationGeneration.objects.get().value
    assert anslag_service.archive_expired(timezone.localdate()) == 1
    assert m.PublicationGeneration.objects.get().value == generation + 1
    budget = anslag.meeting.paragraphs.get(title="Budget")
    correction_service.correct(budget, "title", "Budget 2027", "Fel årtal", alice)
    assert m.PublicationGeneration.objects.get().value == generation + 2
    again = client.get(archive, headers={"if-none-match": first["ETag"]})
    # The page was built anew; its content is the same, so the client's copy is still good.
    assert again.status_code == 304


def test_lists_are_public_and_short_lived_in_browsers(client, posted):
    for name in ("public_board", "public_archive", "public_feed"):
        response = client.get(reverse(name))
        assert "public" in response["Cache-Control"] and "max-age=60" in response["Cache-Control"]
        assert client.get(reverse(name), headers={"if-none-match": response["ETag"]}).status_code == 304


def test_a_lost_stored_file_is_rendered_again(client, posted, media_root):
    documents.render_public_version(posted.pk)
    posted.refresh_from_db()
    url = reverse("public_anslag_pdf", args=[posted.pk])
    first = client.get(url)
    assert first.status_code == 200
    (media_root / posted.public_pdf_name).unlink()
    cache_cleared = client.get(url)  # the stored version is still in the cache: the file is missed
    assert cache_cleared.status_code == 302 and "no-store" in cache_cleared["Cache-Control"]
    again = client.get(url, follow=True)
    assert again.status_code == 200 and again.content.startswith(b"%PDF")


def test_a_notice_and_a_change_to_its_meeting_show_on_the_cached_board(
    client, alice, django_capture_on_commit_callbacks
):
    """The board lists the notices of coming fullmäktige meetings with their time and place."""
    from meetings.services import agenda
    from tests import factories as f

    kf = f.organ("KF", kind=m.OrganKind.FULLMAKTIGE, justerare_count=2)
    kf.secretaries.add(alice)
    today = timezone.localdate()
    meeting = f.meeting(kf, date=today + dt.timedelta(days=10), place="Sessionssalen")
    agenda.add_free_item(meeting, "Val av justerare")
    board = reverse("public_board")
    assert "Kommande sammanträden" not in client.get(board).content.decode()  # cached without it
    with django_capture_on_commit_callbacks(execute=True):  # the cached generation is dropped on commit
        agenda.post_notice(meeting, alice, today, today)
    assert "Sessionssalen" in client.get(board).content.decode()
    meeting.place = "Stadshusets aula"
    with django_capture_on_commit_callbacks(execute=True):
        meeting.save()
    assert "Stadshusets aula" in client.get(board).content.decode()


def _render_tasks() -> int:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path="meetings.tasks.render_document").count()


def test_two_app_servers_queue_one_render(client, alice, justerat, worker_backend):
    """Each server has its own local-memory cache; the database decides that it is queued."""
    client.force_login(alice)
    url = reverse("protokoll_pdf", args=[justerat.meeting_id])
    with _server("a"):
        assert client.get(url).status_code == 202
    with _server("b"):
        assert client.get(url).status_code == 202
    assert _render_tasks() == 1


def test_a_lost_render_is_queued_again_by_the_periodic_run(client, alice, justerat, worker_backend):
    from django_tasks_db.models import DBTaskResult

    from meetings.tasks import run_periodic

    client.force_login(alice)
    url = reverse("protokoll_pdf", args=[justerat.meeting_id])
    assert client.get(url).status_code == 202
    DBTaskResult.objects.all().delete()  # the worker died with it
    assert run_periodic.call()["renders_requeued"] == 0  # not stuck yet
    m.RenderRequest.objects.update(requested_at=timezone.now() - documents.STUCK_AFTER)
    assert run_periodic.call()["renders_requeued"] == 1
    run_worker()
    response = client.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert m.RenderRequest.objects.get().status == m.RenderStatus.DONE


def test_a_render_that_keeps_failing_is_tried_again_then_shown_as_failed(
    client, alice, justerat, worker_backend, monkeypatch
):
    from meetings.export import store
    from meetings.tasks import run_periodic

    def broken(*args, **kwargs):
        raise RuntimeError("WeasyPrint kraschade")

    monkeypatch.setattr(store.StoredPdfJob, "run", broken)
    client.force_login(alice)
    url = reverse("protokoll_pdf", args=[justerat.meeting_id])
    assert client.get(url).status_code == 202
    run_worker()
    request = m.RenderRequest.objects.get()
    assert request.status == m.RenderStatus.FAILED and "WeasyPrint kraschade" in request.error
    for _ in range(documents.MAX_ATTEMPTS - 1):
        assert run_periodic.call()["renders_requeued"] == 1
        run_worker()
    assert run_periodic.call()["renders_requeued"] == 0
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 503 and "kunde inte skapas" in page and "data-poll-url" not in page
    assert "WeasyPrint" not in page  # the reason is in the log and the admin, not on the page
    assert _render_tasks() == documents.MAX_ATTEMPTS


def test_after_a_correction_the_earlier_public_version_is_not_served(
    client, posted, alice, worker_backend, django_capture_on_commit_callbacks
):
    documents.render_public_version(posted.pk)
    url = posted.get_absolute_url()
    assert "Budget" in client.get(url).content.decode()
    budget = posted.meeting.paragraphs.get(title="Budget")
    with django_capture_on_commit_callbacks(execute=True):
        correction_service.correct(budget, "title", "Budget 2027", "Fel årtal", alice)
    # The render is queued, not done: the page shows the anslag and says the protokoll is coming.
    page = client.get(url).content.decode()
    assert 'id="paragraf-1"' not in page and "förbereds" in page
    assert client.get(reverse("public_anslag_pdf", args=[posted.pk])).status_code == 202
    run_worker()
    page = client.get(url).content.decode()
    assert "Budget 2027" in page and "förbereds" not in page


def test_a_worker_takes_renders_before_e_mail_and_the_periodic_run(db, justerat, worker_backend):
    from django_tasks_db.models import DBTaskResult

    from meetings import tasks

    tasks.enqueue(tasks.run_periodic)
    tasks.enqueue(tasks.deliver_mail, 1)
    tasks.enqueue(tasks.render_document, justerat.meeting_id, [1])
    tasks.enqueue(tasks.render_public_version, 1)
    order = [r.task_path.rsplit(".", 1)[1] for r in DBTaskResult.objects.ready()]
    assert order == ["render_public_version", "render_document", "deliver_mail", "run_periodic"]


def test_a_crowd_waiting_for_a_render_only_reads(client, justerat, alice, worker_backend):
    """Every request while the public version is rendered asks whether it is queued; only the first
    takes the row lock (a savepoint and SELECT … FOR UPDATE), the rest read."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    anslag = anslag_service.post_anslag(justerat, alice, timezone.localdate())
    url = anslag.get_absolute_url()
    assert "förbereds" in client.get(url).content.decode()
    with CaptureQueriesContext(connection) as queries:
        assert "förbereds" in client.get(url).content.decode()
    assert not [q["sql"] for q in queries.captured_queries if "SAVEPOINT" in q["sql"] or "FOR UPDATE" in q["sql"]]
    assert m.RenderRequest.objects.get().attempts == 1
