"""Background tasks (django-tasks: the API of ``django.tasks``).

Each task is a thin, idempotent wrapper around a service: it takes ids, reloads what it needs, and
running it twice changes nothing more than running it once (stored files are keyed by their content,
e-mails by their row). Services queue them with ``transaction.on_commit``, so a task never sees a
change that was rolled back.

Queues: ``default`` for e-mail and the periodic work, ``documents`` for rendering PDFs and public
pages (long), so that a 100-§ protokoll never holds up a notification. The backend comes from the
environment (``TASKS_BACKEND``, protokoll/settings.py): in-process by default, ``manage.py db_worker``
in production.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django_tasks import task
from django_tasks.base import Task, TaskResult

DOCUMENTS = "documents"
# Which work goes first when a worker has the choice (db_worker takes the highest priority first,
# whatever the queue): the public version of a posted anslag (the legal notice is waiting for it),
# then the documents of a justerat protokoll (signers and expediering wait), then e-mail (reminders
# included), then the periodic sweep.
PRIORITIES = {
    "render_public_version": 30,
    "render_justerat_documents": 20,
    "render_document": 20,
    "deliver_mail": 10,
    "run_periodic": 0,
}


def enqueue(task: Task, *args, run_after: datetime.datetime | None = None) -> TaskResult:
    """Queue ``task`` with its priority (where the backend orders by priority) and ``run_after``."""
    options: dict = {}
    if task.get_backend().supports_priority:
        options["priority"] = PRIORITIES[task.name]
    if run_after is not None:
        options["run_after"] = run_after
    return (task.using(**options) if options else task).enqueue(*args)


@task()
def deliver_mail(mail_id: int) -> str:
    from .services import mail

    return mail.deliver(mail_id)


@task(queue_name=DOCUMENTS)
def render_justerat_documents(justering_id: int) -> list[int]:
    from .services import documents

    return documents.render_justerat_documents(justering_id)


@task(queue_name=DOCUMENTS)
def render_document(meeting_id: int, numbers: list[int] | None) -> bool:
    from .services import documents

    return documents.render_document(meeting_id, numbers)


@task(queue_name=DOCUMENTS)
def render_public_version(anslag_id: int) -> str:
    from .services import documents

    return documents.render_public_version(anslag_id)


@task()
def run_periodic() -> dict:
    """What cron starts every few minutes: archive taken-down protokoll, remind signers before the
    justering deadline, retry e-mail that is due, and queue again renders that were lost or failed.
    Each step is idempotent."""
    from .services import anslag, documents, mail, reminders

    today = timezone.localdate()
    return {
        "archived": anslag.archive_expired(today),
        "reminders": reminders.send_justering_reminders(today),
        "mail_retried": mail.retry_due_mail(),
        "renders_requeued": documents.sweep_renders(),
    }
