"""Reading an organ's members and ersättare from a CSV or XLSX list, as the valnämnd publishes it.

One row per seat: name, party, role, from, to (and optionally e-mail), the columns found by their
headings in Swedish or English in any order. Nothing is written here: ``read_rows`` turns the file
into rows, ``check_rows`` checks them against the register (parties, persons, memberships already
there) for the preview; ``meetings.services.register.import_members`` stores the rows without
errors once the secretary confirms, after checking them again.

Parties are matched exactly, by abbreviation or full name (case does not matter), never guessed:
an unknown party is an error to fix, not a party picked for the secretary. Persons are matched by
name; a name that two persons in the register share is an error, so that no one's seat goes to
someone else.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from . import models as m
from .uploads import XLSX, detect_type

MAX_ROWS = 2000
MAX_FILE_BYTES = 5 * 1024 * 1024

# Column headings as lists write them, normalised (lower case, no dots or extra spaces).
HEADINGS = {
    "name": ("namn", "name", "ledamot", "förtroendevald", "fullständigt namn"),
    "party": ("parti", "party", "partibeteckning", "partiförkortning"),
    "role": ("roll", "uppdrag", "role", "funktion", "befattning"),
    "start": ("från", "from", "fr o m", "fom", "start", "startdatum", "från och med", "period från"),
    "end": ("till", "to", "t o m", "tom", "slut", "slutdatum", "till och med", "period till"),
    "email": ("e-post", "epost", "email", "e-mail", "e-postadress", "mejl"),
}
REQUIRED = ("name", "party", "role")
# A row as read from the file: what the preview's confirmation carries back.
RAW_FIELDS = ("line", "name", "party", "role", "start", "end", "email")


UNREADABLE_XLSX = "Excel-filen kunde inte läsas. Spara den på nytt som .xlsx och försök igen."


class ImportFileError(Exception):
    """The file cannot be read as a list; the message says why, in Swedish."""


def _norm(text: object) -> str:
    """Lower case, dots and repeated spaces gone: "Fr.o.m." and "fr o m" read the same."""
    text = unicodedata.normalize("NFC", str(text or "")).replace(".", " ").replace("\u00a0", " ")
    return " ".join(text.casefold().split())


def name_key(name: str) -> str:
    """How two spellings of one name compare (case and spacing do not matter)."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def role_of(text: str) -> str | None:
    """ "Ordförande", "1:e vice ordförande", "Ledamot", "Ersättare" → a MembershipRole value."""
    t = _norm(text)
    if "ordförande" in t or t in ("ordf", "vice ordf"):
        return m.MembershipRole.VICE_ORDFORANDE if "vice" in t else m.MembershipRole.ORDFORANDE
    if t.startswith("ledamot") or t == "ordinarie":
        return m.MembershipRole.LEDAMOT
    if t.startswith("ersättare") or t == "ers":
        return m.MembershipRole.ERSATTARE
    return None


_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SWEDISH = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$")


def date_of(value: object) -> datetime.date | None:
    """A date from a cell: an XLSX date, "2023-01-01", "20230101" or "1/1/2023" (day first, as in
    Sweden). None for an empty cell; ValueError for anything else."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    for pattern, order in ((_ISO, (0, 1, 2)), (_COMPACT, (0, 1, 2)), (_SWEDISH, (2, 1, 0))):
        match = pattern.match(text)
        if match:
            parts = [int(match.group(i + 1)) for i in range(3)]
            return datetime.date(parts[order[0]], parts[order[1]], parts[order[2]])
    raise ValueError(text)


@dataclass
class ImportRow:
    """One row of the list, as read, and what checking it against the register found."""

    line: int
    name: str
    party: str
    role: str
    start: str
    end: str
    email: str
    errors: list[str] = field(default_factory=list)
    # Set by check_rows:
    role_value: str = ""
    party_id: int | None = None
    person_id: int | None = None
    exists: bool = False  # the membership is in the register already

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def start_date(self) -> datetime.date | None:
        return date_of(self.start)

    @property
    def end_date(self) -> datetime.date | None:
        return date_of(self.end)

    def raw(self) -> dict[str, object]:
        """What the confirmation carries: the row as read, nothing that was looked up."""
        return {
            k: v for k, v in asdict(self).items() if k in ("line", "name", "party", "role", "start", "end", "email")
        }


def _cell_text(value: object) -> str:
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value if value is not None else "").split())


def _pick(cells: list[object], columns: dict[str, int], key: str) -> str:
    index = columns.get(key)
    return _cell_text(cells[index]) if index is not None and index < len(cells) else ""


def _table_rows(data: bytes) -> Iterable[list[object]]:
    """The cells of the file's first sheet, or of its CSV lines."""
    if detect_type(io.BytesIO(data)) is XLSX:
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - any unreadable workbook gets the same answer
            raise ImportFileError(UNREADABLE_XLSX) from exc
        try:
            sheet = workbook.worksheets[0]
            # Read only: the sheet is parsed while it is iterated, so a workbook cut short or with a
            # broken sheet fails here, not when it is opened.
            yield from (list(row) for row in sheet.iter_rows(values_only=True))
        except Exception as exc:  # noqa: BLE001 - zip, XML and openpyxl errors alike
            raise ImportFileError(UNREADABLE_XLSX) from exc
        finally:
            workbook.close()
        return
    if b"\x00" in data[:4096]:
        raise ImportFileError("Filen är varken en CSV-fil eller en Excel-fil (.xlsx).")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Swedish Windows saves "CSV" as Windows-1252.
        text = data.decode("cp1252", errors="replace")
    first = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first.count)
    try:
        yield from csv.reader(io.StringIO(text), delimiter=delimiter)
    except csv.Error as exc:  # a cell over csv.field_size_limit(), a NUL byte further down
        raise ImportFileError(
            "CSV-filen kunde inte läsas: en cell är för lång eller filen innehåller otillåtna tecken."
        ) from exc


def read_rows(data: bytes) -> list[ImportRow]:
    """The list's rows, with the errors one row shows on its own; ImportFileError when the file as
    a whole cannot be read (no heading row, a required column missing, too many rows)."""
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(f"Filen är för stor. Den får vara högst {MAX_FILE_BYTES // (1024 * 1024)} MB.")
    columns: dict[str, int] | None = None
    rows: list[ImportRow] = []
    for number, cells in enumerate(_table_rows(data), start=1):
        texts = [_cell_text(c) for c in cells]
        if not any(texts):
            continue
        if columns is None:
            columns = {}
            for index, heading in enumerate(texts):
                key = next((k for k, names in HEADINGS.items() if _norm(heading) in names), None)
                if key and key not in columns:
                    columns[key] = index
            missing = [k for k in REQUIRED if k not in columns]
            if missing:
                names = {"name": "Namn", "party": "Parti", "role": "Roll"}
                raise ImportFileError(
                    "Första raden ska ha kolumnrubrikerna Namn, Parti, Roll, Från och Till. "
                    f"Saknas: {', '.join(names[k] for k in missing)}."
                )
            continue
        if len(rows) >= MAX_ROWS:
            raise ImportFileError(f"Filen har fler än {MAX_ROWS} rader.")

        row = ImportRow(
            line=number,
            name=_pick(cells, columns, "name")[:200],
            party=_pick(cells, columns, "party")[:100],
            role=_pick(cells, columns, "role")[:100],
            start=_pick(cells, columns, "start")[:30],
            end=_pick(cells, columns, "end")[:30],
            email=_pick(cells, columns, "email")[:254],
        )
        rows.append(row)
    if columns is None:
        raise ImportFileError("Filen är tom.")
    if not rows:
        raise ImportFileError("Filen har inga rader under rubrikraden.")
    return rows


def rows_from_raw(raw: list[dict[str, object]]) -> list[ImportRow]:
    return [ImportRow(**{k: row[k] for k in RAW_FIELDS}) for row in raw]


def check_rows(
    rows: list[ImportRow],
    organ: m.Organ,
    default_start: datetime.date | None = None,
    default_end: datetime.date | None = None,
) -> list[ImportRow]:
    """Check each row against the register in a fixed number of queries; ``default_start`` and
    ``default_end`` (the term of office) fill rows without dates."""
    parties: dict[str, int] = {}
    for pk, name, abbreviation in m.Party.objects.values_list("pk", "name", "abbreviation"):
        parties[_norm(name)] = pk
        parties[_norm(abbreviation)] = pk
    persons: dict[str, list[int]] = {}
    for pk, name in m.Person.objects.values_list("pk", "name"):
        persons.setdefault(name_key(name), []).append(pk)
    existing = set(m.Membership.objects.filter(organ=organ).values_list("person_id", "role", "start"))
    seen: dict[tuple[str, str], ImportRow] = {}
    for row in rows:
        row.errors = []
        row.name = " ".join(row.name.split())
        if not row.name:
            row.errors.append("Namn saknas.")
        if not row.party:
            row.party_id = None
        elif _norm(row.party) in parties:
            row.party_id = parties[_norm(row.party)]
        else:
            row.errors.append(f"Okänt parti ”{row.party}”. Ange partiets förkortning eller namn som i registret.")
        role = role_of(row.role)
        if role is None:
            row.errors.append(f"Okänd roll ”{row.role}”. Ange Ordförande, Vice ordförande, Ledamot eller Ersättare.")
        row.role_value = role or ""
        try:
            start = row.start_date or default_start
            end = row.end_date if row.end else default_end
        except (ValueError, TypeError):
            row.errors.append("Datum ska skrivas ÅÅÅÅ-MM-DD.")
            start = end = None
        else:
            if start is None:
                row.errors.append("Från-datum saknas. Ange det i filen eller som mandatperiodens start.")
            elif end is not None and end < start:
                row.errors.append("Till-datum är före från-datum.")
            row.start, row.end = (start.isoformat() if start else ""), (end.isoformat() if end else "")
        if row.email:
            try:
                validate_email(row.email)
            except ValidationError:
                row.errors.append(f"Ogiltig e-postadress ”{row.email}”.")
        matches = persons.get(name_key(row.name), []) if row.name else []
        if len(matches) > 1:
            row.errors.append(f"Flera personer i registret heter {row.name}. Lägg till uppdraget för hand.")
        row.person_id = matches[0] if len(matches) == 1 else None
        key = (name_key(row.name), row.role_value)
        if row.name and role and key in seen:
            row.errors.append(f"{row.name} finns redan som {role_display(role).lower()} på rad {seen[key].line}.")
        seen.setdefault(key, row)
        row.exists = bool(row.person_id and row.start and (row.person_id, row.role_value, start) in existing)
    return rows


def role_display(value: str) -> str:
    return m.MembershipRole(value).label
