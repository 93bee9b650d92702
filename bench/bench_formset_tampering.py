"""What a tampered § editor POST costs: every section's ``TOTAL_FORMS`` set to 1,000,000 (issue 10),
against an ordinary save of the same § measured in the same run.

    .venv/bin/python bench/bench_formset_tampering.py [--runs 5]

Runs the real view through Django's test client on a temporary SQLite database with the § of
bench_pdf.py (three att-satser, a yrkande, a 15-member roll call). Reports the median CPU time
(process time) and wall time per request, and the ratio tampered / ordinary.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_pdf import build_meeting, setup_django  # noqa: E402

SECTIONS = ("clauses", "motions", "propositions", "reservations", "notes", "recusals")


def _editor_data(paragraph) -> dict:
    data = {
        name: getattr(paragraph, name)
        for name in (
            "number",
            "title",
            "dnr",
            "summary",
            "basis",
            "proposal",
            "decision_intro",
            "decision_text",
            "proposition_order",
            "recipients",
            "appeal_route",
            "appeal_body",
            "appeal_law",
            "not_appealable_reason",
        )
    }
    data.update({"version": paragraph.version, "action": "save"})
    from django.forms.models import model_to_dict

    from backoffice.forms import SECTION_FORMSETS

    for key in SECTIONS:
        fields = SECTION_FORMSETS[key][2].form._meta.fields
        rows = list(getattr(paragraph, key).all())
        data[f"{key}-TOTAL_FORMS"] = len(rows)
        data[f"{key}-INITIAL_FORMS"] = len(rows)
        for i, row in enumerate(rows):
            values = {name: value for name, value in model_to_dict(row, fields).items() if value is not None}
            data.update({f"{key}-{i}-{name}": value for name, value in values.items()})
            data[f"{key}-{i}-id"] = row.pk
            data[f"{key}-{i}-ORDER"] = i + 1
    return data


def _measure(post, runs: int) -> tuple[float, float, int]:
    cpu, wall, status = [], [], 0
    for _ in range(runs):
        c0, w0 = time.process_time(), time.perf_counter()
        status = post().status_code
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    return statistics.median(cpu), statistics.median(wall), status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        setup_django(Path(workdir))
        from django.contrib.auth import get_user_model
        from django.test import Client
        from django.test.utils import setup_test_environment
        from django.urls import reverse

        from meetings import models as m

        setup_test_environment()  # the test client's host and in-memory e-mail
        meeting_pk = build_meeting(paragraphs=1, justerat=False)
        admin = get_user_model().objects.create_superuser("bench-admin", password="x")
        client = Client()
        client.force_login(admin)
        paragraph = m.Paragraph.objects.get(meeting_id=meeting_pk)
        url = reverse("paragraph_edit", args=[meeting_pk, paragraph.pk])

        def ordinary():
            paragraph.refresh_from_db()
            return client.post(url, _editor_data(paragraph))

        def tampered():
            paragraph.refresh_from_db()
            data = _editor_data(paragraph)
            data.update({f"{key}-TOTAL_FORMS": 1000000 for key in SECTIONS})
            return client.post(url, data)

        ordinary_cpu, ordinary_wall, ordinary_status = _measure(ordinary, args.runs)
        tampered_cpu, tampered_wall, tampered_status = _measure(tampered, args.runs)
        clauses = paragraph.clauses.count()
    for label, cpu, wall, status in (
        ("ordinary save", ordinary_cpu, ordinary_wall, ordinary_status),
        ("TOTAL_FORMS=1000000", tampered_cpu, tampered_wall, tampered_status),
    ):
        print(f"{label:21} {cpu * 1000:8.1f} ms CPU {wall * 1000:8.1f} ms wall (HTTP {status})")
    print(f"ratio tampered/ordinary (CPU): {tampered_cpu / ordinary_cpu:.1f}; att-satser after: {clauses}")


if __name__ == "__main__":
    main()
