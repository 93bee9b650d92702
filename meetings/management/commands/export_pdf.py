"""Write a protokoll, protokollsutdrag or kallelse as PDF:
``export_pdf "KS 2021/647" --paragraphs 344 --output utdrag.pdf``,
``export_pdf "KS 2026/140" --document kallelse --output kallelse.pdf``."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from meetings import models as m
from meetings.export.document import load_meeting
from meetings.export.kallelse import build_kallelse, kallelse_title, render_kallelse_html
from meetings.export.pdf import export_pdf
from meetings.export.render import UnknownParagraphError, build_export_document, html_to_pdf, render_html


class Command(BaseCommand):
    help = (
        "Skriver ett sammanträdes protokoll, ett protokollsutdrag med --paragraphs, "
        "eller kallelsen med --document kallelse, som PDF."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("diarienummer", help='Mötets diarienummer, t.ex. "KS 2021/647".')
        parser.add_argument(
            "--paragraphs", nargs="+", type=int, metavar="NR", help="Paragrafnummer för ett protokollsutdrag."
        )
        parser.add_argument(
            "--document",
            choices=("protokoll", "kallelse"),
            default="protokoll",
            help="Vilket dokument: protokoll (standard) eller kallelse med föredragningslista.",
        )
        parser.add_argument("--output", required=True, type=Path, help="PDF-filen som skrivs.")
        parser.add_argument("--html", type=Path, help="Skriv även den HTML som renderas till denna fil.")

    def handle(
        self,
        *args,
        diarienummer: str,
        paragraphs: list[int] | None,
        document: str,
        output: Path,
        html: Path | None,
        **options,
    ) -> None:
        matches = list(m.Meeting.objects.filter(diarienummer=diarienummer).values_list("pk", flat=True)[:2])
        if not matches:
            raise CommandError(f"Det finns inget sammanträde med diarienummer {diarienummer!r}.")
        if len(matches) > 1:
            raise CommandError(f"Flera sammanträden har diarienummer {diarienummer!r}.")
        meeting = load_meeting(matches[0])
        if document == "kallelse":
            if paragraphs:
                raise CommandError("--paragraphs gäller protokollsutdrag, inte kallelsen.")
            content = render_kallelse_html(build_kallelse(meeting))
            if html is not None:
                html.write_text(content, encoding="utf-8")
            output.write_bytes(html_to_pdf(content))
            self.stdout.write(f"Skrev {output} ({kallelse_title(meeting)}.pdf).")
            return
        try:
            if html is not None:
                html.write_text(render_html(build_export_document(meeting, paragraphs)), encoding="utf-8")
            exported = export_pdf(meeting, paragraphs)
        except UnknownParagraphError as error:
            raise CommandError(str(error)) from error
        output.write_bytes(exported.content)
        self.stdout.write(f"Skrev {output} ({exported.filename}).")
