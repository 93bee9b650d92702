"""Benchmark of the public anslagstavla on PostgreSQL: the board, an archive page and a search.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/protokoll .venv/bin/python bench/bench_public.py

Uses a separate database next to the one in DATABASE_URL (``protokoll_bench``; ``--db`` to change),
migrates it and, the first time, bulk-inserts 10,000 anslag with 100,000 paragraphs and their public
text (realistic Swedish wording), filling every search vector with one UPDATE. Then it times the
median of ``--runs`` requests of each page through Django's test client, after one warm-up request.
``--fresh`` drops the database first. Target: under 50 ms each.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
import warnings
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
ANSLAG = 10_000
PARAGRAPHS_PER_ANSLAG = 10
TARGET_MS = 50

ORGANS = [
    ("Kommunfullmäktige", "KF", "KS"),
    ("Kommunstyrelsen", "KS", "KS"),
    ("Kommunstyrelsens arbetsutskott", "KSAU", "KS"),
    ("Barn- och utbildningsnämnden", "BUN", "BUN"),
    ("Socialnämnden", "SN", "SN"),
    ("Miljö- och byggnadsnämnden", "MBN", "MBN"),
    ("Kultur- och fritidsnämnden", "KFN", "KFN"),
    ("Tekniska nämnden", "TN", "TN"),
]
SUBJECTS = [
    "förskolan i Norrby",
    "gång- och cykelväg längs Storgatan",
    "idrottshallen vid Åsskolan",
    "äldreboendet Solgården",
    "vatten- och avloppstaxan",
    "detaljplan för kvarteret Linden",
    "upphandling av skolskjuts",
    "bredbandsutbyggnad på landsbygden",
    "kommunens klimatstrategi",
    "renovering av simhallen",
    "biblioteksfilial i Västerby",
    "hemtjänstens organisation",
    "parkeringsnorm för centrum",
    "föreningsbidrag till ungdomsverksamhet",
    "budget och verksamhetsplan",
]
KINDS = [
    "Yttrande över",
    "Motion om",
    "Svar på medborgarförslag om",
    "Beslut om",
    "Uppföljning av",
    "Investering i",
    "Taxa för",
    "Delårsrapport för",
]
SENTENCES = [
    "Förvaltningen har utrett frågan och föreslår att ärendet bifalls.",
    "Kostnaden beräknas till {n} 000 kronor och ryms inom budgetramen för {year}.",
    "Samråd har skett med berörda nämnder och med kommunala pensionärsrådet.",
    "Ärendet har beretts av arbetsutskottet som föreslår att {subject} prioriteras.",
    "Ordföranden ställer proposition på förslaget och finner att nämnden bifaller det.",
    "Med hänsyn till barnkonventionen har barnens bästa beaktats i beslutsunderlaget.",
    "Finansieringen sker genom omfördelning inom investeringsbudgeten.",
    "Beslutet ska följas upp i samband med årsredovisningen.",
]


def _parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="protokoll_bench", help="name of the benchmark database")
    parser.add_argument("--runs", type=int, default=30, help="requests per page")
    parser.add_argument("--fresh", action="store_true", help="drop and re-create the benchmark database")
    return parser.parse_args()


def _prepare_database(url: str, name: str, fresh: bool) -> str:
    """Create the benchmark database on the server of ``url``; return its URL."""
    import psycopg2

    parts = urlsplit(url)
    admin = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        if fresh:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    return urlunsplit(parts._replace(path=f"/{name}"))


def _text(rng: random.Random, subject: str, year: int) -> str:
    chosen = rng.sample(SENTENCES, 3)
    return " ".join(s.format(n=rng.randint(50, 9000), year=year, subject=subject) for s in chosen)


def _load(rng: random.Random) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.postgres.search import SearchVector
    from django.db import connection, transaction
    from django.utils import timezone

    from meetings import dates
    from meetings import models as m

    if m.Anslag.objects.count() >= ANSLAG:
        print(f"Data already loaded: {m.Anslag.objects.count()} anslag, {m.PublicParagraph.objects.count()} §§.")
        return
    if m.Anslag.objects.exists():
        sys.exit("The benchmark database holds partial data; run again with --fresh.")
    started = time.perf_counter()
    today = timezone.localdate()
    with transaction.atomic():
        user, _ = get_user_model().objects.get_or_create(username="bench")
        organs = [
            m.Organ.objects.get_or_create(
                short_name=short,
                defaults={"name": name, "diarium_prefix": prefix, "storage_location": "Kommunledningsförvaltningen"},
            )[0]
            for name, short, prefix in ORGANS
        ]
        # One anslag about every nine hours over ten years: some 55 are on the board today.
        posted = sorted(
            (today - dt.timedelta(days=int(i * 3650 / ANSLAG)) for i in range(ANSLAG)),
            reverse=False,
        )
        meetings = m.Meeting.objects.bulk_create(
            (
                m.Meeting(
                    organ=organs[i % len(organs)],
                    date=day - dt.timedelta(days=rng.randint(2, 12)),
                    start_time=dt.time(13, 30),
                    end_time=dt.time(16),
                    place="Sessionssalen, kommunhuset",
                    diarienummer=f"{organs[i % len(organs)].diarium_prefix} {day.year}/{i + 1}",
                    status=m.MeetingStatus.ANSLAGET,
                )
                for i, day in enumerate(posted)
            ),
            batch_size=2000,
        )
        justeringar = m.Justering.objects.bulk_create(
            (m.Justering(meeting=meeting, status=m.JusteringStatus.JUSTERAT) for meeting in meetings), batch_size=2000
        )
        next_number: dict[tuple[int, int], int] = {}
        paragraphs = []
        labels = []
        for meeting in meetings:
            numbers = []
            for position in range(PARAGRAPHS_PER_ANSLAG):
                key = (meeting.organ_id, meeting.date.year)
                next_number[key] = next_number.get(key, 0) + 1
                subject = rng.choice(SUBJECTS)
                paragraphs.append(
                    m.Paragraph(
                        meeting=meeting,
                        organ_id=meeting.organ_id,
                        year=meeting.date.year,
                        number=next_number[key],
                        position=position,
                        title=f"{rng.choice(KINDS)} {subject}",
                        dnr=f"{meeting.organ.diarium_prefix} {meeting.date.year}/{rng.randint(1, 999)}",
                        summary=_text(rng, subject, meeting.date.year),
                        decision_intro=f"{meeting.organ.name} beslutar",
                    )
                )
                numbers.append(next_number[key])
            labels.append(f"§§ {numbers[0]}–{numbers[-1]}")
        paragraphs = m.Paragraph.objects.bulk_create(paragraphs, batch_size=2000)
        anslag = m.Anslag.objects.bulk_create(
            (
                m.Anslag(
                    justering=justering,
                    meeting=justering.meeting,
                    organ_id=justering.meeting.organ_id,
                    paragraphs_label=label,
                    justerat_on=day,
                    posted_on=day,
                    appeal_until=dates.appeal_deadline(day),
                    take_down_on=dates.default_take_down(day),
                    storage_location="Kommunledningsförvaltningen",
                    secretary_name="Eva-Lotta Kittel",
                    posted_by=user,
                )
                for justering, label, day in zip(justeringar, labels, posted, strict=True)
            ),
            batch_size=2000,
        )
        by_meeting = {a.meeting_id: a for a in anslag}
        m.PublicParagraph.objects.bulk_create(
            (
                m.PublicParagraph(
                    anslag=by_meeting[p.meeting_id],
                    paragraph=p,
                    number=p.number,
                    title=p.title,
                    dnr=p.dnr,
                    text=f"{p.decision_intro}\natt anta förslaget om {p.title.lower()}\n{p.summary}",
                )
                for p in paragraphs
            ),
            batch_size=5000,
        )
        # One UPDATE for all rows, the same vectors as workflow.update_search_vectors writes.
        m.PublicParagraph.objects.update(
            search_vector=SearchVector("title", weight="A", config="swedish")
            + SearchVector("dnr", weight="A", config="simple")
            + SearchVector("text", weight="B", config="swedish")
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"Loaded {len(anslag)} anslag and {len(paragraphs)} §§ in {time.perf_counter() - started:.1f} s.")


def _time(client, url: str, runs: int) -> tuple[float, int, int]:
    from django.db import connection

    response = client.get(url)  # warm-up: templates compiled, connection open
    assert response.status_code == 200, (url, response.status_code)
    queries = []
    # Counted with a wrapper: the query log is reset at the start of every request.
    with connection.execute_wrapper(lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)):
        client.get(url)
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return statistics.median(timings), len(queries), len(response.content)


def main() -> None:
    args = _parse()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to a PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5432/protokoll")
    os.environ["DATABASE_URL"] = _prepare_database(url, args.db, args.fresh)
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["DEBUG"] = "0"
    # The test settings: production settings with a throwaway secret and plain static files storage
    # (the hashed manifest needs collectstatic, which has nothing to do with query times).
    os.environ["DJANGO_SETTINGS_MODULE"] = "protokoll.test_settings"
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from meetings import models as m

    call_command("migrate", verbosity=0)
    warnings.filterwarnings("ignore", message="No directory at")
    _load(random.Random(20261126))  # fixed seed: the same data every time

    organ = m.Organ.objects.get(short_name="KS")
    year = m.Anslag.objects.dates("posted_on", "year")[3].year
    pages = [
        ("board", "/anslagstavla/"),
        ("archive, page 100 of all", "/anslagstavla/arkiv/?sida=100"),
        ("archive, organ and year", f"/anslagstavla/arkiv/?organ={organ.short_name}&ar={year}&sida=2"),
        ("search 'budget'", "/anslagstavla/sok/?q=budget"),
        ("search 'förskolan norrby'", "/anslagstavla/sok/?q=f%C3%B6rskolan+norrby"),
        ("search 'KS 2021/868'", "/anslagstavla/sok/?q=KS+2021%2F868"),
    ]
    client = Client()
    print(f"{m.Anslag.objects.count()} anslag, {m.PublicParagraph.objects.count()} public §§, {args.runs} runs each")
    print(f"{'page':32} {'median ms':>10} {'queries':>8} {'bytes':>8}")
    worst = 0.0
    for name, path in pages:
        median, queries, size = _time(client, path, args.runs)
        worst = max(worst, median)
        print(f"{name:32} {median:10.1f} {queries:8d} {size:8d}")
    print(f"Slowest median {worst:.1f} ms; target under {TARGET_MS} ms: {'met' if worst < TARGET_MS else 'NOT met'}.")


if __name__ == "__main__":
    main()
