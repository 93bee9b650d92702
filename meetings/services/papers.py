"""Ärenden and their documents: creating an ärende, storing handlingar and bilagor, removing them.

A file's bytes go to Django's default storage (never a local path, so that every app server
shares them) under the SHA-256 of the content: the uploaded name never reaches the storage, the same
document uploaded twice is stored once, and the bytes stay as long as any File row names them. What
may be stored was decided by ``meetings.uploads.check_upload``.

A bilaga belongs to its § and so to the protokoll: it can be added or removed only while the
protokoll is a draft (the meeting's row lock, as every drafting save), and ``meetings.locking``
keeps it from changing afterwards.
"""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction

from .. import models as m
from ..uploads import CheckedUpload
from .documents import replace_public_version
from .drafting import lock_editable_meeting, save_versioned

STORAGE_PREFIX = "handlingar"


def storage_name(checked: CheckedUpload) -> str:
    digest = checked.sha256
    return f"{STORAGE_PREFIX}/{digest[:2]}/{digest}{checked.file_type.extensions[0]}"


def _store(upload: UploadedFile, checked: CheckedUpload) -> str:
    """Put the bytes in storage under their hash (once) and return the name."""
    name = storage_name(checked)
    if not default_storage.exists(name):
        upload.seek(0)
        saved = default_storage.save(name, upload)
        if saved != name:  # another server stored the same bytes a moment ago
            default_storage.delete(saved)
    return name


def _new_file(upload: UploadedFile, checked: CheckedUpload, *, name: str, public: bool, user, **owner) -> m.File:
    siblings = m.File.objects.filter(**owner)
    position = (siblings.aggregate(p=models.Max("position"))["p"] or 0) + 1
    file = m.File(
        position=position,
        name=name,
        file_name=checked.file_name,
        mime_type=checked.file_type.mime_type,
        size=checked.size,
        sha256=checked.sha256,
        public=public,
        personnummer_scan=checked.scan,
        uploaded_by=user if getattr(user, "is_authenticated", False) else None,
        **owner,
    )
    file.content.name = _store(upload, checked)
    file.save()
    return file


def save_paper(paper: m.Paper) -> m.Paper:
    """Create an ärende (fields set by a form)."""
    paper.save()
    return paper


def add_handling(
    paper: m.Paper, *, upload: UploadedFile, checked: CheckedUpload, name: str, public: bool, user
) -> m.File:
    """A handling of the ärende."""
    with transaction.atomic():
        m.Paper.objects.select_for_update().filter(pk=paper.pk).first()
        return _new_file(upload, checked, name=name, public=public, user=user, paper=paper)


def add_bilaga(
    paragraph: m.Paragraph, *, upload: UploadedFile, checked: CheckedUpload, name: str, public: bool, user
) -> m.File:
    """A bilaga of a § of a draft protokoll."""
    with transaction.atomic():
        lock_editable_meeting(paragraph.meeting_id)
        return _new_file(upload, checked, name=name, public=public, user=user, paragraph=paragraph)


def save_file(file: m.File, loaded_version: int | None, fields: list[str]) -> None:
    """Save a handling's or bilaga's ``fields`` (assigned by a form). Whether a bilaga is public may
    change after the anslag is posted (personal data found late): the posted public version is
    then replaced, so a withdrawn bilaga leaves the public page and PDF, not only the download."""
    with transaction.atomic():
        public_before = m.File.objects.filter(pk=file.pk).values_list("public", flat=True).first()
        save_versioned(file, loaded_version, fields)
        if file.paragraph_id is not None and public_before != file.public:
            replace_public_version(file.paragraph.meeting)


def delete_file(file: m.File) -> None:
    """Remove a handling or bilaga; its bytes go when no other row names them."""
    name = file.content.name
    with transaction.atomic():
        if file.paragraph_id is not None:
            lock_editable_meeting(file.paragraph.meeting_id)
        file.delete()

        def remove_unused() -> None:
            if not m.File.objects.filter(content=name).exists():
                default_storage.delete(name)

        transaction.on_commit(remove_unused, robust=True)


def delete_paper(paper: m.Paper) -> None:
    """Remove an ärende that no agenda holds (``AgendaItem.paper`` protects it), with its handlingar."""
    with transaction.atomic():
        for file in list(paper.files.all()):
            delete_file(file)
        paper.delete()
