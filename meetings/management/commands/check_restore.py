"""After restoring a backup (README "Backup and restore"): the number of rows of every table, and every
sealed PDF the system issued read back from storage, its SHA-256 compared with the one recorded and its
seal checked against the configured certificate. Exits with an error when anything is missing or wrong.

    python manage.py check_restore > counts-restored.txt
"""

from __future__ import annotations

import hashlib

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from meetings import models as m
from meetings.export.seal import check_seal
from meetings.export.store import read_stored


class Command(BaseCommand):
    help = "Row counts of every table and a check of every issued sealed PDF in storage (after a restore)."

    def handle(self, *args, **options) -> None:
        for model in sorted(apps.get_models(), key=lambda model: model._meta.db_table):
            self.stdout.write(f"{model._meta.db_table} {model._default_manager.count()}")
        problems = []
        issued = list(m.IssuedPdf.objects.order_by("pk"))
        for pdf in issued:
            data = read_stored(pdf.storage_name)
            if data is None:
                problems.append(f"{pdf.storage_name}: saknas i lagringen")
            elif hashlib.sha256(data).hexdigest() != pdf.sha256:
                problems.append(f"{pdf.storage_name}: SHA-256 stämmer inte")
            elif not (seal := check_seal(data)).intact or not seal.trusted:
                problems.append(f"{pdf.storage_name}: sigillet är inte giltigt mot SEAL_CERT_FILE")
        self.stdout.write(f"utfärdade PDF:er kontrollerade: {len(issued)}, fel: {len(problems)}")
        if problems:
            raise CommandError("\n".join(problems))
