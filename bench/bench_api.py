"""Benchmark of the OParl API on PostgreSQL: list pages and objects on the board's data.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/protokoll .venv/bin/python bench/bench_api.py

The data is ``bench_public.py``'s (10,000 anslag with 100,000 §§, built by its loader in the same
separate database, ``protokoll_bench``; ``--db`` to change), to which this adds, once, what the API
maps and the board does not need: five members of each organ, present at every meeting, and on the
first § of every meeting a roll call of the five (10,000 votes, 50,000 votes cast). Then it times the
median of ``--runs`` requests of each page through Django's test client after one warm-up request,
with the cache emptied before every request (the API caches nothing; the anslagstavla's pages are
timed built anew too, as a reference measured in the same run on the same machine: the ratio holds
when the machine is busy). Target: list pages under 50 ms.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_public  # noqa: E402 (the data builder and the timer of the board's benchmark)

MEMBERS_PER_ORGAN = 5


def _add_votes() -> None:
    from django.db import connection, transaction

    from meetings import models as m

    if m.VoteCast.objects.exists():
        print(f"Votes already loaded: {m.Vote.objects.count()} votes, {m.VoteCast.objects.count()} cast.")
        return
    started = time.perf_counter()
    with transaction.atomic():
        party = m.Party.objects.get_or_create(abbreviation="S", defaults={"name": "Socialdemokraterna"})[0]
        members: dict[int, list[m.Person]] = {}
        for organ in m.Organ.objects.all():
            people = m.Person.objects.bulk_create(
                m.Person(name=f"Ledamot {i} {organ.short_name}", party=party) for i in range(MEMBERS_PER_ORGAN)
            )
            m.Membership.objects.bulk_create(
                m.Membership(person=p, organ=organ, role=m.MembershipRole.LEDAMOT, party=party, start="2015-01-01")
                for p in people
            )
            members[organ.pk] = people
        meetings = list(m.Meeting.objects.values_list("pk", "organ_id"))
        m.Attendance.objects.bulk_create(
            (
                m.Attendance(meeting_id=pk, person=p, party=party, kind=m.AttendanceKind.BESLUTANDE)
                for pk, organ_id in meetings
                for p in members[organ_id]
            ),
            batch_size=5000,
        )
        firsts = m.Paragraph.objects.filter(position=0).values_list("pk", "meeting__organ_id")
        votes = m.Vote.objects.bulk_create(
            (m.Vote(paragraph_id=pk, ja_means="förslaget", nej_means="avslag") for pk, _organ in firsts),
            batch_size=5000,
        )
        organ_of = dict(firsts)
        choices = [m.VoteChoice.JA, m.VoteChoice.JA, m.VoteChoice.NEJ, m.VoteChoice.AVSTAR, m.VoteChoice.JA]
        m.VoteCast.objects.bulk_create(
            (
                m.VoteCast(vote=v, person=p, party=party, choice=choices[i], position=i)
                for v in votes
                for i, p in enumerate(members[organ_of[v.paragraph_id]])
            ),
            batch_size=5000,
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"Added {len(votes)} votes and their casts in {time.perf_counter() - started:.1f} s.")


def _time(client, url: str, runs: int) -> tuple[float, float, int, int]:
    """The medians of ``runs`` requests of ``url``, each with an empty cache: wall time, and the CPU
    time of this process (Python's share, which a busy machine does not stretch); queries and size."""
    from django.core.cache import cache
    from django.db import connection

    cache.clear()
    response = client.get(url)  # warm-up: templates compiled, connection open
    assert response.status_code == 200, (url, response.status_code)
    queries = []
    cache.clear()
    with connection.execute_wrapper(lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)):
        client.get(url)
    timings, cpu = [], []
    for _ in range(runs):
        cache.clear()
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200
    return statistics.median(timings), statistics.median(cpu), len(queries), len(response.content)


def main() -> None:
    args = bench_public._parse()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to a PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5432/protokoll")
    os.environ["DATABASE_URL"] = bench_public._prepare_database(url, args.db, args.fresh)
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["DEBUG"] = "0"
    os.environ["DJANGO_SETTINGS_MODULE"] = "protokoll.test_settings"
    sys.path.insert(0, str(bench_public.ROOT))

    import django

    django.setup()
    import warnings

    from django.core.management import call_command
    from django.test import Client

    from meetings import models as m

    call_command("migrate", verbosity=0)
    warnings.filterwarnings("ignore", message="No directory at")
    bench_public._load(random.Random(20261126))
    _add_votes()

    meeting = m.Meeting.objects.order_by("pk")[5000]
    paragraph = m.Paragraph.objects.filter(meeting=meeting, position=0).get()
    root = "/api/oparl/1.1/"
    pages = [
        ("reference: board, built anew", "/anslagstavla/"),
        ("reference: archive p. 100, anew", "/anslagstavla/arkiv/?sida=100"),
        ("system", root),
        ("meetings, page 1", f"{root}body/1/meeting"),
        ("meetings, page 200", f"{root}body/1/meeting?page=200"),
        ("meetings, limit 25", f"{root}body/1/meeting?limit=25"),
        ("meetings, omit_internal", f"{root}body/1/meeting?omit_internal=true&page=100"),
        ("meetings, modified_since", f"{root}body/1/meeting?modified_since=2020-01-01T00%3A00%3A00%2B01%3A00"),
        ("agenda items, page 1", f"{root}body/1/agendaitem"),
        ("agenda items, page 2000", f"{root}body/1/agendaitem?page=2000"),
        ("agenda items, limit 100", f"{root}body/1/agendaitem?limit=100&page=50"),
        ("persons", f"{root}body/1/person"),
        ("organizations", f"{root}body/1/organization"),
        ("one meeting", f"{root}meeting/{meeting.pk}"),
        ("one agenda item (roll call)", f"{root}agendaitem/{paragraph.pk}"),
    ]
    client = Client()
    print(
        f"{m.Anslag.objects.count()} anslag, {m.Paragraph.objects.count()} §§, "
        f"{m.VoteCast.objects.count()} votes cast, {args.runs} runs each"
    )
    print(f"{'page':32} {'median ms':>10} {'cpu ms':>8} {'queries':>8} {'bytes':>8}")
    worst = 0.0
    for name, path in pages:
        median, cpu, queries, size = _time(client, path, args.runs)
        if not name.startswith(("reference", "one ", "system")):
            worst = max(worst, median)
        print(f"{name:32} {median:10.1f} {cpu:8.1f} {queries:8d} {size:8d}")
    target = bench_public.TARGET_MS
    print(f"Slowest list median {worst:.1f} ms; target under {target} ms: {'met' if worst < target else 'NOT met'}.")


if __name__ == "__main__":
    main()
