"""Personnummer are masked in every way of writing one; dates, Dnr, amounts and phone numbers are left
alone (mask_personnummer, used for everything the public version shows)."""

from __future__ import annotations

import pytest

from meetings.public import MASK, mask_personnummer


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("19850412-1234", MASK),
        ("850412-1234", MASK),
        ("8504121234", MASK),
        ("198504121234", MASK),
        ("850412+1234", MASK),
        ("850362-1234", MASK),  # samordningsnummer: day + 60
        ("850312 1234", MASK),
        ("850312\u00a01234", MASK),  # no-break space
        ("850312–1234", MASK),  # en dash, as Word writes it
        ("850312—1234", MASK),  # em dash
        ("850312\u22121234", MASK),  # minus sign
        ("19850312 - 1234", MASK),
        ("850312 – 1234", MASK),
        ("Dnr-850312-1234", f"Dnr-{MASK}"),
        ("KS-19850312-1234", f"KS-{MASK}"),
        ("(850312-1234)", f"({MASK})"),
        ("850312-1234-2", f"{MASK}-2"),
        ("Sökanden 850312-1234, boende i kommunen.", f"Sökanden {MASK}, boende i kommunen."),
        # A phone number written as ten digits reads as a personnummer: masking it is the safe side.
        ("0701234567", MASK),
    ],
)
def test_personnummer_in_every_spelling_is_masked(text, expected):
    assert mask_personnummer(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2021-11-22",
        "20211122",
        "Sammanträdet 2021-11-22 kl. 13.30",
        "2021-11-22 – 2021-12-01",
        "20211122–20211201",
        "KS 2021/868",
        "Dnr KS 2021/868-1",
        "12 400 000",
        "Budgeten är 12 400 000 kronor 2022 - 2024.",
        "070-123 45 67",
        "0701-23 45 67",
        "08-123 456 78",
        "§§ 343–344",
        "1234567890123",
        "850312-12345",
    ],
)
def test_dates_dnr_amounts_and_phone_groups_are_left_alone(text):
    assert mask_personnummer(text) == text
