"""Reading a register list (CSV or XLSX) and storing it: every row checked, nothing guessed, nothing
stored twice (meetings.register_import, meetings.services.register.import_members)."""

import datetime
import io

import pytest
from openpyxl import Workbook

from meetings import models as m
from meetings.register_import import ImportFileError, check_rows, read_rows
from meetings.services.register import import_members
from tests import factories as f

pytestmark = pytest.mark.django_db

LIST = (
    "Namn;Parti;Roll;Fr.o.m.;T.o.m.;E-post\n"
    "Anna Andersson;S;Ordförande;2023-01-01;2026-12-31;anna@example.se\n"
    "Bo Berg;Moderaterna;Ledamot;2023-01-01;2026-12-31;\n"
    "Cecilia Ceder;c;1:e vice ordförande;2023-01-01;;\n"
    "Dan Dahl;S;Ersättare;;;\n"
)


@pytest.fixture
def parties(db):
    return [f.party("S", "Socialdemokraterna"), f.party("M", "Moderaterna"), f.party("C", "Centerpartiet")]


def xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_csv_rows_are_read_by_their_headings(organ, parties):
    rows = check_rows(read_rows(LIST.encode()), organ, default_start=datetime.date(2023, 1, 1))
    assert [(r.name, r.role_value, r.start, r.end, r.ok) for r in rows] == [
        ("Anna Andersson", "ordforande", "2023-01-01", "2026-12-31", True),
        ("Bo Berg", "ledamot", "2023-01-01", "2026-12-31", True),
        ("Cecilia Ceder", "vice_ordforande", "2023-01-01", "", True),
        ("Dan Dahl", "ersattare", "2023-01-01", "", True),
    ]
    assert [r.party_id for r in rows] == [parties[0].pk, parties[1].pk, parties[2].pk, parties[0].pk]


@pytest.mark.parametrize(
    "data",
    [
        "\ufeffName,Party,Role,From,To\nÅsa Öberg,S,Ledamot,2023-01-01,\n".encode("utf-8"),
        # Excel on Swedish Windows: semicolons, Windows-1252.
        "Namn;Parti;Roll;Från;Till\nÅsa Öberg;S;Ledamot;2023-01-01;\n".encode("cp1252"),
    ],
)
def test_csv_as_excel_and_others_save_it(data):
    [row] = read_rows(data)
    assert (row.name, row.party, row.role, row.start) == ("Åsa Öberg", "S", "Ledamot", "2023-01-01")


def test_xlsx_rows_with_real_dates(organ, parties):
    data = xlsx(
        [
            ["Namn", "Parti", "Roll", "Från", "Till"],
            ["Anna Andersson", "S", "Ledamot", datetime.datetime(2023, 1, 1), None],
        ]
    )
    [row] = check_rows(read_rows(data), organ)
    assert (row.name, row.start, row.end, row.ok) == ("Anna Andersson", "2023-01-01", "", True)


@pytest.mark.parametrize(
    ("line", "error"),
    [
        (";S;Ledamot;2023-01-01;", "Namn saknas"),
        ("Eva Ek;Piratpartiet;Ledamot;2023-01-01;", "Okänt parti ”Piratpartiet”"),
        ("Eva Ek;S;Kassör;2023-01-01;", "Okänd roll ”Kassör”"),
        ("Eva Ek;S;Ledamot;1 januari;", "ÅÅÅÅ-MM-DD"),
        ("Eva Ek;S;Ledamot;2023-02-30;", "ÅÅÅÅ-MM-DD"),
        ("Eva Ek;S;Ledamot;2024-01-01;2023-01-01", "före från-datum"),
        ("Eva Ek;S;Ledamot;;", "Från-datum saknas"),
        ("Eva Ek;S;Ledamot;2023-01-01;;inte-en-adress", "Ogiltig e-postadress"),
    ],
)
def test_each_bad_row_says_what_is_wrong(organ, parties, line, error):
    [row] = check_rows(read_rows(f"Namn;Parti;Roll;Från;Till;E-post\n{line}\n".encode()), organ)
    assert not row.ok
    assert error in " ".join(row.errors)


def test_a_file_without_the_headings_is_refused():
    with pytest.raises(ImportFileError, match="Saknas: Parti, Roll"):
        read_rows(b"Namn;Telefon\nAnna;070\n")
    with pytest.raises(ImportFileError, match="inga rader"):
        read_rows(b"Namn;Parti;Roll\n")
    with pytest.raises(ImportFileError, match="varken en CSV-fil eller en Excel-fil"):
        read_rows(b"\x00\x01\x02binary")


def test_the_same_seat_twice_in_the_file_is_an_error(organ, parties):
    data = "Namn;Parti;Roll;Från\nEva Ek;S;Ledamot;2023-01-01\neva  ek;S;Ledamot;2023-01-01\n".encode()
    first, second = check_rows(read_rows(data), organ)
    assert first.ok and not second.ok
    assert "rad 2" in second.errors[0]


def test_a_name_two_persons_share_is_not_guessed(organ, parties):
    f.person("Eva Ek")
    f.person("Eva Ek")
    [row] = check_rows(read_rows(b"Namn;Parti;Roll;Fr\xc3\xa5n\nEva Ek;S;Ledamot;2023-01-01\n"), organ)
    assert "Flera personer i registret heter Eva Ek" in row.errors[0]


def test_checking_stores_nothing(organ, parties):
    check_rows(read_rows(LIST.encode()), organ, datetime.date(2023, 1, 1))
    assert not m.Person.objects.exists()
    assert not m.Membership.objects.exists()


def test_import_stores_the_good_rows_reuses_persons_and_skips_what_is_there(organ, parties):
    bo = f.person("Bo Berg")
    rows = [r.raw() for r in read_rows((LIST + "Fel Felsson;XX;Ledamot;2023-01-01;\n").encode())]
    result = import_members(organ, rows, datetime.date(2023, 1, 1), None)
    assert (result.memberships_created, result.persons_created, result.with_errors) == (4, 3, 1)
    seats = {ms.person.name: ms for ms in organ.memberships.select_related("person", "party")}
    assert seats["Bo Berg"].person == bo
    assert bo.__class__.objects.get(pk=bo.pk).party.abbreviation == "M"  # the register had no party
    assert seats["Anna Andersson"].person.email == "anna@example.se"
    assert seats["Anna Andersson"].end == datetime.date(2026, 12, 31)
    again = import_members(organ, rows, datetime.date(2023, 1, 1), None)
    assert (again.memberships_created, again.persons_created, again.already_there) == (0, 0, 4)
    assert m.Membership.objects.count() == 4


def test_the_same_new_person_in_two_seats_is_created_once(organ, parties):
    data = "Namn;Parti;Roll;Från;Till\nEva Ek;S;Ersättare;2019-01-01;2022-12-31\nEva Ek;S;Ledamot;2023-01-01;\n"
    result = import_members(organ, [r.raw() for r in read_rows(data.encode())], None, None)
    assert (result.memberships_created, result.persons_created) == (2, 1)


def test_a_huge_csv_field_is_refused_with_a_message():
    """Review A 7: a cell beyond the csv module's field limit (128 kB) is a Swedish error, not a 500."""
    data = ("Namn;Parti;Roll\n" + "A" * 200_000 + ";S;Ledamot\n").encode()
    with pytest.raises(ImportFileError, match="kunde inte läsas"):
        read_rows(data)
    quoted = ('Namn;Parti;Roll\n"' + "A" * 200_000 + '";S;Ledamot\n').encode()
    with pytest.raises(ImportFileError):
        read_rows(quoted)


@pytest.mark.parametrize("cut", [0.5, 0.8, 0.95])
def test_a_truncated_xlsx_is_refused_with_a_message(cut):
    """Review A 7: a workbook cut short (an interrupted upload) is a Swedish error, not a 500."""
    whole = xlsx([["Namn", "Parti", "Roll"], *[[f"Person {i}", "S", "Ledamot"] for i in range(300)]])
    with pytest.raises(ImportFileError, match="Excel-fil"):
        read_rows(whole[: int(len(whole) * cut)])


def test_a_corrupt_xlsx_sheet_is_refused_with_a_message():
    """A workbook whose zip is whole but whose sheet is not XML."""
    import zipfile

    whole = xlsx([["Namn", "Parti", "Roll"], ["Anna", "S", "Ledamot"]])
    source = zipfile.ZipFile(io.BytesIO(whole))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = data[: len(data) // 2]
            target.writestr(item, data)
    with pytest.raises(ImportFileError, match="Excel-filen kunde inte läsas"):
        read_rows(buffer.getvalue())
