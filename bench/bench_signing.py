"""Benchmark of justering online (issue 5): how long a signature takes, and the final PDF.

    .venv/bin/python bench/bench_signing.py [--meetings 5]

Reports
  - the sign request (POST with the password, through the test client): median over every signature
    of ``--meetings`` 20-§ protokoll signed by a chair and two justerare, and of the last signature
    of each (the one that makes the protokoll justerat). Passwords use Django's default PBKDF2 hasher,
    as in production, so the figure includes the deliberate cost of checking a password;
  - rendering and sealing the final PDF of a 20-§ protokoll (the first download after justering:
    render, seal with pyHanko, register, store), median over the same protokoll, and the seal alone.

Django is set up as in bench_pdf.py: protokoll.test_settings with a throwaway SQLite database.
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

PARAGRAPHS = 20
PASSWORD = "bench-password-1"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--meetings", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        setup_django(Path(workdir))
        from django.conf import global_settings
        from django.contrib.auth import get_user_model
        from django.test import Client, override_settings
        from django.urls import reverse

        from meetings import models as m
        from meetings.export.document import load_meeting
        from meetings.export.pdf import export_pdf
        from meetings.export.render import render_pdf
        from meetings.export.seal import seal_pdf
        from meetings.services import justering as workflow

        User = get_user_model()
        sign_times: list[float] = []
        last_sign_times: list[float] = []
        final_pdf_times: list[float] = []
        seal_times: list[float] = []
        with override_settings(PASSWORD_HASHERS=global_settings.PASSWORD_HASHERS, ALLOWED_HOSTS=["testserver"]):
            for i in range(args.meetings):
                pk = build_meeting(PARAGRAPHS, justerat=False, short_name=f"KS{i}")
                meeting = m.Meeting.objects.get(pk=pk)
                signers = [meeting.chair, meeting.justerare_1, meeting.justerare_2]
                for j, person in enumerate(signers):
                    if person.user_id is None:
                        person.user = User.objects.create_user(f"signer-{i}-{j}", password=PASSWORD)
                        person.save(update_fields=["user"])
                justering = workflow.send_to_justering(meeting, None)
                for person in signers:
                    client = Client()
                    client.force_login(person.user)
                    url = reverse("justering_sign", args=[justering.pk])
                    data = {"password": PASSWORD, "content_hash": justering.content_hash}
                    start = time.perf_counter()
                    response = client.post(url, data)
                    elapsed = time.perf_counter() - start
                    assert response.status_code == 302, response.status_code
                    sign_times.append(elapsed)
                meeting.refresh_from_db()
                assert meeting.status == m.MeetingStatus.JUSTERAT, meeting.status
                last_sign_times.append(elapsed)
                loaded = load_meeting(pk)
                start = time.perf_counter()
                export_pdf(loaded)
                final_pdf_times.append(time.perf_counter() - start)
                plain = render_pdf(load_meeting(pk))
                start = time.perf_counter()
                seal_pdf(plain)
                seal_times.append(time.perf_counter() - start)

        def ms(values: list[float]) -> str:
            low, mid, high = (v * 1000 for v in (min(values), statistics.median(values), max(values)))
            return f"median {mid:.0f} ms (min {low:.0f}, max {high:.0f})"

        print(f"Sign request, all {len(sign_times)} signatures: {ms(sign_times)}")
        print(f"Sign request, the last signature (becomes justerat): {ms(last_sign_times)}")
        print(f"Final PDF of a {PARAGRAPHS}-§ protokoll, render + seal + store: {ms(final_pdf_times)}")
        print(f"  of which the pyHanko seal alone: {ms(seal_times)}")


if __name__ == "__main__":
    main()
