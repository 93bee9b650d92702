"""Benchmark of what issue 12 adds to signing: keeping the signed content, and the diff a re-signer
reads, for the 100-§ protokoll of bench_pdf.py (three att-satser, a yrkande and a 15-member roll
call per §).

    .venv/bin/python bench/bench_resign.py [--runs 7]

Reports, each as a median over ``--runs`` and as a ratio to hashing the content alone (what a
signature cost before: ``content_hash``) measured in the same run:
  - keeping the content as it is signed (``keep(signed_content(...))``, one row per distinct content);
  - the changes since a signature after one att-sats changed (``diff.changes_since``), what the
    justering page computes for a re-signer;
and the size of one kept content.
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


def _median_ms(action, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        setup_django(Path(workdir))
        from meetings import models as m
        from meetings.export.canonical import content_hash, keep, signed_content
        from meetings.export.diff import changes_since
        from meetings.export.document import load_meeting

        meeting = load_meeting(build_meeting(justerat=False))
        hashing = _median_ms(lambda: content_hash(meeting), args.runs)
        keeping = _median_ms(lambda: keep(signed_content(meeting)), args.runs)
        kept = m.SignedContent.objects.get(sha256=content_hash(meeting))
        clause = m.DecisionClause.objects.filter(paragraph__meeting=meeting).order_by("id").first()
        m.DecisionClause.objects.filter(pk=clause.pk).update(text=clause.text + " med en ändring")
        changes = changes_since(kept, meeting, None)
        diffing = _median_ms(lambda: changes_since(kept, meeting, None), args.runs)
        print(f"Hashing the content of a 100-§ protokoll (reference): median {hashing:.0f} ms")
        print(f"Keeping it as signed: median {keeping:.0f} ms ({keeping / hashing:.2f} × the reference)")
        print(
            f"The changes since a signature ({len(changes)} change): median {diffing:.0f} ms "
            f"({diffing / hashing:.2f} × the reference)"
        )
        print(f"One kept content: {len(kept.content.encode()) / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
