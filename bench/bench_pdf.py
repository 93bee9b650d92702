"""Benchmark of the PDF export (issue 4): a protokoll of 100 §§, each with three att-satser, a
yrkande and a 15-member roll call.

    .venv/bin/python bench/bench_pdf.py [--runs 3]

Reports
  (a) our full export (load, build the document, render the template, WeasyPrint) against WeasyPrint
      alone rendering the same HTML with the same options; target: overhead under 15 %;
  (b) serving the stored PDF of the justerat protokoll (the download view, and render_pdf_cached
      alone) against rendering it; target: at least 100 times faster;
  (c) peak memory (peak RSS) of one export in a fresh subprocess; target: under 400 MB.

It sets Django up itself (protokoll.test_settings) with a throwaway SQLite database and media
directory in a temporary directory, so it touches nothing of the project's own data.
"""

from __future__ import annotations

import argparse
import datetime
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PARAGRAPHS = 100
MEMBERS = 15


def setup_django(workdir: Path) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "protokoll.test_settings"
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    import django

    django.setup()


def build_meeting(paragraphs: int = PARAGRAPHS, justerat: bool = True, short_name: str = "KS") -> int:
    """The meeting of ``paragraphs`` §§, marked justerat unless told not to; returns its pk.

    Also used by bench_signing.py (a draft of 20 §§ that goes through the real justering).
    """
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from meetings import models as m

    call_command("migrate", verbosity=0)
    organ = m.Organ.objects.create(
        name=f"Kommunstyrelsen {short_name}",
        short_name=short_name,
        diarium_prefix="KS",
        storage_location="Kansliet",
        justerare_count=2,
    )
    parties = [
        m.Party.objects.get_or_create(abbreviation=a, defaults={"name": f"Parti {a}"})[0]
        for a in ("S", "M", "C", "V", "L")
    ]
    members = []
    for i in range(MEMBERS):
        person = m.Person.objects.create(name=f"Ledamot Nummer{i + 1} Efternamnsson")
        m.Membership.objects.create(
            person=person,
            organ=organ,
            role=m.MembershipRole.LEDAMOT,
            party=parties[i % 5],
            start=datetime.date(2020, 1, 1),
        )
        members.append(person)
    secretary = m.Person.objects.create(name="Sara Sekreterare")
    meeting = m.Meeting.objects.create(
        organ=organ,
        date=datetime.date(2026, 3, 10),
        start_time=datetime.time(9, 0),
        end_time=datetime.time(16, 0),
        place="Sessionssalen",
        diarienummer="KS 2026/1000",
        secretary=secretary,
        chair=members[0],
        justerare_1=members[1],
        justerare_2=members[2],
    )
    for i, person in enumerate(members):
        m.Attendance.objects.create(
            meeting=meeting,
            person=person,
            kind=m.AttendanceKind.BESLUTANDE,
            party=parties[i % 5],
            role="Ordförande" if i == 0 else "",
            position=i,
        )
    text = "Förvaltningen har utrett ärendet och redovisar bakgrund, ekonomi och konsekvenser. " * 4
    choices = [m.VoteChoice.JA, m.VoteChoice.NEJ, m.VoteChoice.AVSTAR]
    for n in range(paragraphs):
        p = m.Paragraph.create_next(
            meeting,
            title=f"Ärende nummer {n + 1} om verksamheten",
            dnr=f"KS 2026/{n + 1}",
            summary=text,
            proposition_order="Ordföranden ställer proposition på förslagen och finner att förslaget bifalls.",
            recipients="Kommunstyrelsen\nEkonomienheten",
        )
        m.DecisionClause.objects.bulk_create(
            m.DecisionClause(paragraph=p, position=k, text=f"att besluta i del {k} av ärendet enligt förslaget,")
            for k in range(1, 4)
        )
        m.Motion.objects.create(paragraph=p, person=members[3], kind=m.MotionKind.AVSLAG, text="Avslag till förslaget.")
        vote = m.Vote.objects.create(paragraph=p, ja_means="förslaget", nej_means="avslag")
        m.VoteCast.objects.bulk_create(
            m.VoteCast(vote=vote, person=person, party=parties[i % 5], choice=choices[i % 3], position=i)
            for i, person in enumerate(members)
        )
    if justerat:
        m.Meeting.objects.filter(pk=meeting.pk).update(status=m.MeetingStatus.JUSTERAT)
        user = get_user_model().objects.create_user("bench", password="bench-password-1")
        organ.secretaries.add(user)
    return meeting.pk


def timed(function) -> tuple[float, object]:
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def peak_rss_mb() -> float:
    """This process's peak resident set size.

    VmHWM, because Linux carries ru_maxrss over an exec from the parent (which has rendered
    already), while VmHWM belongs to the new process image.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_export(pk: int) -> None:
    """One full export in this (fresh) process; prints the peak resident set size in MB."""
    from meetings.export.document import load_meeting
    from meetings.export.render import render_pdf

    before = peak_rss_mb()
    render_pdf(load_meeting(pk))
    print(f"{peak_rss_mb():.1f} {before:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="renders per variant for the medians (default 3)")
    parser.add_argument("--child-export", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child_export:
        setup_django(args.workdir)
        child_export(args.child_export)
        return

    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as tmp:
        workdir = Path(tmp)
        setup_django(workdir)
        from django.test import Client
        from django.test.utils import setup_test_environment
        from django.urls import reverse
        from pypdf import PdfReader
        from weasyprint import HTML

        from meetings.export import render, store
        from meetings.export.document import load_meeting
        from meetings.export.fetcher import StaticOnlyURLFetcher

        build_seconds, pk = timed(build_meeting)
        print(f"Built a meeting of {PARAGRAPHS} §§ ({MEMBERS}-member roll call each) in {build_seconds:.1f} s.")

        # (a) Our export against WeasyPrint alone on the same HTML, interleaved so both see the same load.
        html = render.render_html(render.build_export_document(load_meeting(pk)))
        ours, weasy = [], []
        content = b""
        for run in range(args.runs):
            # Alternate which goes first, so that a change of load on the machine hits both alike.
            for which in ("ours", "weasy") if run % 2 == 0 else ("weasy", "ours"):
                if which == "ours":
                    seconds, content = timed(lambda: render.render_pdf(load_meeting(pk)))
                    ours.append(seconds)
                else:
                    seconds, _ = timed(
                        lambda: HTML(string=html, url_fetcher=StaticOnlyURLFetcher()).write_pdf(**render.PDF_OPTIONS)
                    )
                    weasy.append(seconds)
        prep = [timed(lambda: render.render_html(render.build_export_document(load_meeting(pk))))[0] for _ in range(5)]
        pages = len(PdfReader(io.BytesIO(content)).pages)
        ours_median, weasy_median = statistics.median(ours), statistics.median(weasy)
        overhead = (ours_median - weasy_median) / weasy_median * 100
        best_overhead = (min(ours) - min(weasy)) / min(weasy) * 100
        prep_share = statistics.median(prep) / weasy_median * 100

        # (b) Serving the stored PDF against rendering it.
        store.render_pdf_cached(load_meeting(pk))  # the first request renders and stores
        setup_test_environment()
        warnings.filterwarnings("ignore", message="No directory at")
        client = Client()
        client.login(username="bench", password="bench-password-1")
        url = reverse("protokoll_pdf", args=[pk])
        view_times = []
        for _ in range(20):
            seconds, response = timed(lambda: client.get(url))
            assert response.status_code == 200 and response.content.startswith(b"%PDF"), response.status_code
            view_times.append(seconds)
        cached_times = [timed(lambda: store.render_pdf_cached(load_meeting(pk)))[0] for _ in range(20)]
        view_median, cached_median = statistics.median(view_times), statistics.median(cached_times)

        # (c) Peak memory of one export in a fresh process.
        child = subprocess.run(
            [sys.executable, __file__, "--child-export", str(pk), "--workdir", str(workdir)],
            capture_output=True,
            text=True,
            check=True,
        )
        peak_mb, baseline_mb = (float(x) for x in child.stdout.split()[-2:])

    print()
    print(f"Document: {pages} pages, {len(content) / 1024:.0f} KiB; medians of {args.runs} runs each")
    print("(a) export overhead")
    print(f"    our export (load + document + template + WeasyPrint): {ours_median:7.2f} s  {_runs(ours)}")
    print(f"    WeasyPrint alone, same HTML and options:              {weasy_median:7.2f} s  {_runs(weasy)}")
    print(f"    load + document + template alone (median of 5):       {statistics.median(prep):7.3f} s")
    print(f"    overhead: {overhead:+.1f} % of WeasyPrint's time (target < 15 %)  {_verdict(overhead < 15)}")
    print(f"    (best of {args.runs}: {best_overhead:+.1f} %; our steps alone: {prep_share:.1f} % of WeasyPrint)")
    print("(b) stored PDF against rendering")
    print(f"    download view, stored PDF (median of 20):  {view_median * 1000:7.1f} ms")
    print(f"    render_pdf_cached hit (median of 20):      {cached_median * 1000:7.1f} ms")
    print(
        f"    rendering is {ours_median / view_median:,.0f}x slower than the view, "
        f"{ours_median / cached_median:,.0f}x than the cache hit (target >= 100x)  "
        f"{_verdict(ours_median / view_median >= 100)}"
    )
    print("(c) peak memory of one export in a fresh process")
    print(f"    peak RSS (VmHWM) {peak_mb:.0f} MB, of which {baseline_mb:.0f} MB after imports and set-up")
    print(f"    (target < 400 MB)  {_verdict(peak_mb < 400)}")


def _runs(values: list[float]) -> str:
    return "[" + ", ".join(f"{v:.2f}" for v in values) + "]"


def _verdict(ok: bool) -> str:
    return "OK" if ok else "MISSED"


if __name__ == "__main__":
    main()
