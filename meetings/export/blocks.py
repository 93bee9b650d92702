"""What a PDF's front page and signature section say about its justering: the signature lines,
the ANSLAG/BEVIS block and the evidence (who signed when, the content hash, where to verify).

Drafts get the empty lines and a blank block (``default_signatures``/``default_anslag``); a justerat
protokoll the signers' times, the anslag's dates once posted, and the evidence.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from .. import models as m
from .document import FrontLines, ProtokollDocument, signed_span


@dataclass
class Signer:
    """One signature line: the printed name under the line, and ``signed`` once signed
    (e.g. "Signerat 2021-11-24 kl. 10.12"); empty leaves the line blank for ink."""

    name: str
    signed: str = ""


@dataclass
class SignatureRow:
    label: str  # "Sekreterare", "Ordförande", "Justerare"
    signers: list[Signer] = field(default_factory=list)


@dataclass
class AnslagBlock:
    """The ANSLAG/BEVIS block of the front page; dates stay empty until the anslag is posted."""

    organ: str
    posted_on: datetime.date | None = None
    taken_down_on: datetime.date | None = None
    last_appeal_day: datetime.date | None = None
    storage_location: str = ""
    signer: str = ""
    signed: str = ""


def default_signatures(doc: ProtokollDocument) -> list[SignatureRow]:
    """Unsigned lines with the printed names, as on the seed's front page."""
    return [
        SignatureRow("Sekreterare", [Signer(doc.secretary_line)]),
        SignatureRow("Ordförande", [Signer(doc.chair_line)]),
        SignatureRow("Justerare", [Signer(name) for name in doc.justerare_lines] or [Signer("")]),
    ]


def default_anslag(doc: ProtokollDocument) -> AnslagBlock:
    """The block as a blank form; the förvaringsplats is printed once the protokoll is justerat."""
    return AnslagBlock(
        organ=doc.organ.name,
        storage_location="" if doc.is_draft else doc.organ.storage_location,
        signer=doc.secretary_line,
    )


@dataclass
class Evidence:
    """The signature section of a justerat PDF: who signed in which role, when and how, the SHA-256 of
    the signed content, and where anyone can check the file.

    ``authentications`` has a line per signature given with e-legitimation: the provider, when and at
    which level (acr) the signer authenticated, and the SHA-256 of the ID token that said so."""

    rows: list[tuple[str, str, str, str]]  # (name, role, "Signerat 2021-11-29 kl. 15.00", "E-legitimation")
    content_hash: str
    verify_url: str
    authentications: list[str] = field(default_factory=list)
    # The days they signed ("2021-11-24–2021-11-29") and their initials, for the front page and the
    # "Justerares signaturer" box of every page.
    dates: str = ""
    initials: list[str] = field(default_factory=list)


def initials(name: str) -> str:
    """ "Mikael Rubin" → "MR", as a justerare initials each page."""
    return "".join(part[0].upper() for part in name.replace("-", " ").split() if part[:1].isalpha())


def _signed_text(signed_at: datetime.datetime) -> str:
    local = timezone.localtime(signed_at)
    return f"Signerat {local:%Y-%m-%d} kl. {local:%H.%M}"


def authentication_text(signature: m.Signature) -> str:
    """How a signer authenticated with e-legitimation, for the PDF and the verification page; empty
    for a password. Never the identifier itself (it may be a personnummer)."""
    if not signature.with_eid:
        return ""
    when = timezone.localtime(signature.eid_auth_time)
    return (
        f"{signature.person.name} legitimerade sig {when:%Y-%m-%d} kl. {when:%H.%M.%S} "
        f"hos {signature.eid_issuer}, tillitsnivå {signature.eid_acr or 'ej angiven'}. "
        f"ID-tokenets SHA-256: {signature.eid_id_token_sha256}"
    )


def _valid_signatures(justering: m.Justering) -> list[m.Signature]:
    """The signatures that count: given, and not voided by a later change or a sending back."""
    return [s for s in justering.signatures.all() if s.status == m.SignatureStatus.SIGNERAT and s.signed_at]


def _completed_rounds(meeting: m.Meeting):
    return (
        m.Justering.objects.filter(meeting=meeting, status=m.JusteringStatus.JUSTERAT)
        .prefetch_related(
            Prefetch(
                "signatures",
                queryset=m.Signature.objects.filter(status=m.SignatureStatus.SIGNERAT).select_related("person"),
            ),
            Prefetch("paragraphs", queryset=m.Paragraph.objects.only("id", "number")),
        )
        .order_by("-completed_at")
    )


def final_justering(meeting: m.Meeting) -> m.Justering | None:
    """The completed justering of the whole protokoll, with its signatures."""
    return _completed_rounds(meeting).filter(immediate=False).first()


def immediate_justering(meeting: m.Meeting, numbers: list[int] | None) -> m.Justering | None:
    """The completed omedelbar justering that covers every one of the §§ ``numbers``."""
    if not numbers:
        return None
    wanted = set(numbers)
    for justering in _completed_rounds(meeting).filter(immediate=True):
        if wanted <= {p.number for p in justering.paragraphs.all()}:
            return justering
    return None


def justering_signatures(
    justering: m.Justering, meeting: m.Meeting, doc: FrontLines | ProtokollDocument
) -> list[SignatureRow]:
    """The signature lines with the time each signer signed (names as the front page prints them)."""
    signed = {s.person_id: _signed_text(s.signed_at) for s in _valid_signatures(justering)}
    justerare = [
        Signer(line, signed.get(person.pk, ""))
        for person, line in zip(meeting.justerare, doc.justerare_lines, strict=False)
    ]
    return [
        SignatureRow("Sekreterare", [Signer(doc.secretary_line)]),
        SignatureRow("Ordförande", [Signer(doc.chair_line, signed.get(meeting.chair_id, ""))]),
        SignatureRow("Justerare", justerare or [Signer("")]),
    ]


def anslag_block(anslag: m.Anslag, doc: FrontLines | ProtokollDocument) -> AnslagBlock:
    """The ANSLAG/BEVIS block of a posted protokoll."""
    return AnslagBlock(
        organ=anslag.organ.name,
        posted_on=anslag.posted_on,
        taken_down_on=anslag.take_down_on,
        # Only the §§ open to laglighetsprövning have the anslag's appeal time (KL 13 kap. 5 §).
        last_appeal_day=anslag.appeal_until if anslag.appeal_label else None,
        storage_location=anslag.storage_location,
        signer=doc.secretary_line or anslag.secretary_name,
    )


def evidence_for(justering: m.Justering) -> Evidence:
    signatures = _valid_signatures(justering)
    return Evidence(
        rows=[
            (s.person.name, s.get_role_display(), _signed_text(s.signed_at), s.get_method_display()) for s in signatures
        ],
        content_hash=justering.content_hash,
        verify_url=settings.SITE_URL.rstrip("/") + reverse("verify"),
        authentications=[text for s in signatures if (text := authentication_text(s))],
        dates=signed_span([s.signed_at for s in signatures]),
        initials=[initials(s.person.name) for s in signatures],
    )
