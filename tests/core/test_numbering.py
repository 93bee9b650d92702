"""§ numbers run per organ and calendar year, are stored, unique and assigned as the next free number."""

import datetime
import threading

import pytest
from django.db import IntegrityError, connection, connections

from meetings import models as m
from tests import factories as f


def test_numbers_continue_across_meetings_of_an_organ_within_a_year(organ):
    first = f.meeting(organ, datetime.date(2026, 2, 1))
    second = f.meeting(organ, datetime.date(2026, 3, 1))
    assert [f.paragraph(first).number for _ in range(3)] == [1, 2, 3]
    assert [f.paragraph(second).number for _ in range(2)] == [4, 5]


def test_numbers_restart_the_next_year(organ):
    f.paragraph(f.meeting(organ, datetime.date(2026, 12, 14)))
    f.paragraph(f.meeting(organ, datetime.date(2026, 12, 14)))
    january = f.meeting(organ, datetime.date(2027, 1, 11))
    p = f.paragraph(january)
    assert (p.year, p.number) == (2027, 1)


def test_each_organ_has_its_own_series(organ):
    other = f.organ("KF", name="Kommunfullmäktige")
    f.paragraph(f.meeting(organ))
    assert f.paragraph(f.meeting(other)).number == 1


def test_next_number_follows_an_edited_number(organ):
    meeting = f.meeting(organ)
    p = f.paragraph(meeting)
    p.number = 343
    p.save()
    assert f.paragraph(meeting).number == 344


def test_position_is_appended_in_the_meeting(organ):
    meeting = f.meeting(organ)
    assert [f.paragraph(meeting).position for _ in range(3)] == [1, 2, 3]


def test_database_refuses_a_duplicate_number_in_the_series(organ):
    meeting = f.meeting(organ)
    p = f.paragraph(meeting)
    with pytest.raises(IntegrityError):
        m.Paragraph.objects.create(meeting=f.meeting(organ), number=p.number, title="Dubblett")


def test_organ_and_year_follow_the_meeting(organ):
    p = f.paragraph(f.meeting(organ, datetime.date(2025, 5, 5)))
    assert p.organ_id == organ.pk and p.year == 2025
    assert p.decision_intro == "Kommunstyrelsens arbetsutskott beslutar"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_creation_gets_distinct_numbers():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are tested on PostgreSQL (set DATABASE_URL); SQLite serialises writers")
    organ = f.organ()
    meetings = [f.meeting(organ), f.meeting(organ)]
    workers = 8
    barrier = threading.Barrier(workers)
    numbers: list[int] = []
    errors: list[BaseException] = []

    def create(i: int) -> None:
        try:
            barrier.wait()
            numbers.append(m.Paragraph.create_next(meetings[i % 2], title=f"Samtidig {i}").number)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=create, args=(i,)) for i in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(numbers) == list(range(1, workers + 1))
