"""Fault benchmark (issue 10): gunicorn on PostgreSQL under load while the database restarts.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/protokoll .venv/bin/python bench/bench_fault.py

A cluster of its own keeps other users of the server out of it (what the figures in the README came from):

    pg_createcluster 15 fault -p 5433 --start -- --auth-host=trust --auth-local=trust
    DATABASE_URL=postgres://postgres@127.0.0.1:5433/protokoll .venv/bin/python bench/bench_fault.py --cluster 15/fault

Needs root (``pg_ctlcluster``) and a local PostgreSQL cluster (``--cluster 15/main``): it STOPS THAT
SERVER for ``--down`` seconds, so every other user of it (other test runs) loses its connections
too. Uses a fresh database next to the one in DATABASE_URL (``protokoll_fault``; ``--db``).

gunicorn with ``--workers`` sync workers and the production settings (DEBUG off, CONN_MAX_AGE 60,
CONN_HEALTH_CHECKS on) answers ``--clients`` threads that request, as fast as they can, a logged-in
user's dashboard (the session, the user and the page's queries) and the public board. After
``--before`` seconds the cluster is stopped (``pg_ctlcluster … stop -m fast``: open connections are
cut), ``--down`` seconds later started again, and the load goes on for ``--after`` seconds.

Reported: requests and answers by status before, during (stop to start) and after; seconds from the
database being back to the first success and to the last failure. Targets: no 500 at all (503 while
the database is down), and every request that starts after the database is back succeeds.
"""

from __future__ import annotations

import argparse
import http.client
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bench_load import _free_port, _fresh_database, _stop, _wait_for

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
PASSWORD = "bench-password-1"


@dataclass
class Answer:
    started: float
    ended: float
    status: int  # 0: no HTTP answer at all (connection refused, reset or timed out)
    path: str
    error: str = ""


def _parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="protokoll_fault")
    parser.add_argument("--cluster", default="15/main", help="pg_ctlcluster VERSION/NAME of DATABASE_URL's server")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--clients", type=int, default=8, help="client threads")
    parser.add_argument("--before", type=float, default=8)
    parser.add_argument("--down", type=float, default=3)
    parser.add_argument("--after", type=float, default=12)
    return parser.parse_args()


def _setup(workdir: Path, database_url: str) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-key-bench-only-secret-key-0123456789",
        "SITE_URL": "https://protokoll.example.se",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_COOKIES": "0",
        "MEDIA_ROOT": str(workdir / "media"),
        "BENCH_STATIC_ROOT": str(workdir / "static"),
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "PYTHONPATH": os.pathsep.join([str(BENCH), str(ROOT)]),
        "LOG_LEVEL": "CRITICAL",
    }
    os.environ.update(env)
    (workdir / "static").mkdir()
    sys.path[:0] = [str(BENCH), str(ROOT)]
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    get_user_model().objects.create_user("fault", password=PASSWORD)
    return env


def _session_cookie(port: int) -> str:
    """Log in through the login page, as a browser does; the session cookie to send."""
    # Patient: the workers may still be starting (the port opens before they answer).
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.request("GET", "/logga-in/")
    response = conn.getresponse()
    response.read()
    csrf = next(c for c in response.headers.get_all("Set-Cookie") if c.startswith("csrftoken=")).split(";")[0]
    token = csrf.split("=", 1)[1]
    body = f"username=fault&password={PASSWORD}&csrfmiddlewaretoken={token}"
    headers = {"Cookie": csrf, "Content-Type": "application/x-www-form-urlencoded", "Referer": "http://127.0.0.1/"}
    conn.request("POST", "/logga-in/", body=body, headers=headers)
    response = conn.getresponse()
    response.read()
    if response.status != 302:
        raise RuntimeError(f"login answered {response.status}")
    session = next(c for c in response.headers.get_all("Set-Cookie") if c.startswith("sessionid=")).split(";")[0]
    return f"{session}; {csrf}"


def _load(port: int, cookie: str, stop: threading.Event, answers: list[Answer], index: int) -> None:
    # Most requests need the database for the session and the page; every third is the public board.
    path, headers = ("/anslagstavla/", {}) if index % 3 == 2 else ("/", {"Cookie": cookie})
    while not stop.is_set():
        started, error = time.monotonic(), ""
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            status = response.status
            conn.close()
        except (OSError, http.client.HTTPException) as exc:
            status, error = 0, type(exc).__name__
        answers.append(Answer(started, time.monotonic(), status, path, error))


def _pg(action: str, cluster: str) -> None:
    version, name = cluster.split("/")
    args = ["pg_ctlcluster", version, name, action] + (["-m", "fast"] if action == "stop" else [])
    subprocess.run(args, check=True)


def main() -> None:
    args = _parse()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to a PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5432/protokoll")
    with tempfile.TemporaryDirectory(prefix="protokoll-fault-") as tmp:
        env = _setup(Path(tmp), _fresh_database(url, args.db))
        port = _free_port()
        gunicorn = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "protokoll.wsgi", "--bind", f"127.0.0.1:{port}"]
            + ["--workers", str(args.workers), "--log-level", "warning"],
            cwd=ROOT,
            env=env,
        )
        answers: list[Answer] = []
        stop = threading.Event()
        try:
            _wait_for(port)
            cookie = _session_cookie(port)
            clients = [
                threading.Thread(target=_load, args=(port, cookie, stop, answers, i)) for i in range(args.clients)
            ]
            for client in clients:
                client.start()
            time.sleep(args.before)
            t_stop = time.monotonic()
            _pg("stop", args.cluster)
            try:
                time.sleep(args.down)
            finally:
                _pg("start", args.cluster)
            t_back = time.monotonic()
            time.sleep(args.after)
            stop.set()
            for client in clients:
                client.join()
        finally:
            stop.set()
            _stop(gunicorn)
    _report(args, answers, t_stop, t_back)


def _report(args: argparse.Namespace, answers: list[Answer], t_stop: float, t_back: float) -> None:
    # "during": every request the outage touched, including those in flight when the server stopped.
    phases = {
        "before": [a for a in answers if a.ended < t_stop],
        "during": [a for a in answers if a.ended >= t_stop and a.started < t_back],
        "after": [a for a in answers if a.started >= t_back],
    }
    print(
        f"Fault: gunicorn {args.workers} sync workers, {args.clients} client threads, PostgreSQL stopped "
        f"(-m fast) for {args.down:.0f} s plus start-up ({t_back - t_stop:.1f} s in all)"
    )
    print(f"  requests: {len(answers)}")
    for name, group in phases.items():
        counts = Counter(a.status for a in group)
        shown = ", ".join(f"{status or 'no answer'}: {n}" for status, n in sorted(counts.items()))
        print(f"  {name:7} {len(group):6} requests  {shown}")
    for a in answers:
        if a.status == 0:
            print(f"  no answer: {a.path} {a.error} after {a.ended - a.started:.1f} s, at {a.started - t_stop:+.1f} s")
    slowest = max(answers, key=lambda a: a.ended - a.started)
    print(f"  slowest answer: {slowest.ended - slowest.started:.1f} s ({slowest.status})")
    after = sorted(phases["after"], key=lambda a: a.started)
    first_ok = next((a.ended - t_back for a in after if a.status == 200), None)
    failed_after = [a for a in after if a.status != 200]
    last_failure = max((a.ended - t_back for a in failed_after), default=None)
    print(f"  first success after the database was back: +{first_ok:.2f} s" if first_ok is not None else "  no success")
    print(f"  failures that started after it was back: {len(failed_after)}", end="")
    print(f" (last at +{last_failure:.2f} s)" if last_failure is not None else "")
    errors_500 = sum(a.status >= 500 and a.status != 503 for a in answers)
    print(f"  5xx other than 503: {errors_500}  target 0: {'met' if errors_500 == 0 else 'NOT met'}")
    print(f"  every request after the database was back succeeded: {'met' if not failed_after else 'NOT met'}")


if __name__ == "__main__":
    main()
