"""The justering workflow: sending a protokoll to its signers, signing, sending back.

States: Utkast → Under justering → Justerat → Anslaget → Arkiverat, plus Återsänt (sent back); the
transitions are ``base.TRANSITIONS``. Each function runs in a transaction holding a row lock on the
meeting (two signers may press "Signera" at the same moment on different app servers), checks that
the transition is legal, and leaves a record in the audit log (django-simple-history, with a change
reason). Content is locked at the model layer (meetings.locking); transitions write inside
``unlocked()``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from .. import models as m
from ..export.canonical import keep, signed_content
from ..export.document import format_numbers, load_meeting
from ..locking import unlocked
from . import decision, documents, notifications
from .base import WorkflowError, check_fields, locked_meeting, set_status

S = m.MeetingStatus


def signers_of(meeting: m.Meeting) -> list[tuple[m.Person, str]]:
    """The chair and the meeting's justerare, as many as the organ requires."""
    signers = [(meeting.chair, m.SignerRole.ORDFORANDE)] if meeting.chair else []
    signers += [(p, m.SignerRole.JUSTERARE) for p in meeting.justerare[: meeting.organ.justerare_count]]
    return signers


def readiness_problems(meeting: m.Meeting, paragraphs: list[m.Paragraph] | None = None) -> list[str]:
    """What stops the protokoll from being sent to justering, in Swedish; empty when ready.

    Pass the meeting's ``paragraphs`` when they are loaded already.
    """
    problems = []
    if meeting.chair is None:
        problems.append("Ordförande saknas.")
    if len(meeting.justerare) < meeting.organ.justerare_count:
        problems.append(f"{meeting.organ.name} ska ha {meeting.organ.justerare_count} justerare.")
    people = [p.pk for p, _role in signers_of(meeting)]
    if len(set(people)) != len(people):
        problems.append("Ordförande och justerare måste vara olika personer.")
    if not (paragraphs if paragraphs is not None else meeting.paragraphs.exists()):
        problems.append("Protokollet har inga paragrafer.")
    for a in meeting.attendances.all():
        if a.pending and not a.absent:
            # Written for §§ before they existed, and they never came: the signed content and the
            # front page would name §§ the protokoll does not have. (The word "paragrafer" keeps
            # this out of an omedelbar justering, held before the later §§ exist.)
            problems.append(
                f"Närvaron för {a.person.name} anger {format_numbers(a.pending)}, som inte finns bland "
                "protokollets paragrafer. Ta bort numret eller lägg till paragrafen."
            )
    serving = {a.person_id for a in meeting.attendances.all() if not a.absent and a.kind in m.SERVING_KINDS}
    for person, role in signers_of(meeting):
        if person.pk not in serving:
            problems.append(f"{person.name} ({m.SignerRole(role).label.lower()}) är inte beslutande vid sammanträdet.")
    return problems


def signer_warnings(meeting: m.Meeting) -> list[str]:
    """Signers who cannot sign yet (the round can be sent, but waits until an administrator gives
    them an account), and signers who will get no e-mail about it."""
    warnings = []
    for person, _role in signers_of(meeting):
        if person.user_id is None:
            warnings.append(
                f"{person.name} har inget användarkonto och kan inte signera förrän en administratör har skapat ett."
            )
        elif not (person.email or person.user.email):
            warnings.append(f"{person.name} saknar e-postadress och får ingen e-post om justeringen.")
    return warnings


def vote_problems(meeting: m.Meeting, paragraphs: list[m.Paragraph] | None = None) -> list[str]:
    """Votes the protokoll cannot print as they stand: cast by someone not entitled to vote on that §
    (absent, not serving, or jävig), whose printed result would count them; and votes whose outcome
    is not decided (a tie without the chair's vote, or an election's tie without the lot drawn, KL 5
    kap. 56 §); and a huvudfråga not put against the motförslag its kontrapropositionsvotering chose
    (``decision.chain_problems``). The protokoll cannot be sent until they are corrected."""
    meeting = load_meeting(meeting.pk)
    problems = []
    rows = meeting.paragraphs.prefetch_related(
        "recusals", "votes__casts__person", "votes__proposition", "propositions__vote__casts"
    )
    if paragraphs is not None:
        rows = rows.filter(pk__in=[p.pk for p in paragraphs])
    for paragraph in rows:
        entitled = {a.person_id for a in meeting.voters_for(paragraph)}
        for vote in paragraph.votes.all():
            for cast in vote.casts.all():
                if cast.person_id not in entitled and cast.choice != m.VoteChoice.FRANVARANDE:
                    problems.append(f"§ {paragraph.number}: {cast.person.name} har röstat men deltar inte i beslutet.")
            outcome = vote.outcome
            if not outcome.decided:
                problems.append(f"§ {paragraph.number}: omröstningen är inte avgjord. {outcome.problem}")
        steps = [(p.kind, p.ja_label, p.nej_label, p.outcome.winner) for p in paragraph.propositions.all()]
        problems += [f"§ {paragraph.number}: {text}" for text in decision.chain_problems(steps)]
    return problems


def _open_round(meeting: m.Meeting, user, paragraphs: list[m.Paragraph] | None) -> m.Justering:
    justering = m.Justering.objects.create(
        meeting=meeting,
        immediate=paragraphs is not None,
        sent_by=user,
        content_hash=keep(signed_content(meeting, paragraphs)),
    )
    if paragraphs:
        justering.paragraphs.set(paragraphs)
    for position, (person, role) in enumerate(signers_of(meeting), start=1):
        m.Signature.objects.create(justering=justering, person=person, role=role, position=position)
    justering.mail_report = notifications.notify_on_commit(
        notifications.sent_to_signers, justering.pk, audience="undertecknare"
    )
    return justering


def send_to_justering(meeting: m.Meeting, user) -> m.Justering:
    """The secretary sends a finished protokoll to its chair and justerare."""
    with transaction.atomic():
        meeting = locked_meeting(meeting)
        if meeting.status not in m.EDITABLE_STATUSES:
            raise WorkflowError("Protokollet är redan skickat till justering.")
        if m.Justering.objects.filter(meeting=meeting, immediate=True, status=m.JusteringStatus.PAGAR).exists():
            raise WorkflowError("En omedelbar justering pågår. Låt den bli klar innan hela protokollet skickas.")
        problems = readiness_problems(meeting) + vote_problems(meeting)
        if problems:
            raise WorkflowError(" ".join(problems))
        set_status(meeting, S.UNDER_JUSTERING, "Skickat till justering")
        return _open_round(meeting, user, None)


def send_immediate_justering(meeting: m.Meeting, user, paragraphs: list[m.Paragraph]) -> m.Justering:
    """Omedelbar justering: the chair and justerare sign just these §§ at the meeting."""
    with transaction.atomic():
        meeting = locked_meeting(meeting)
        if meeting.status not in m.EDITABLE_STATUSES:
            raise WorkflowError("Omedelbar justering går bara medan protokollet är ett utkast.")
        if not paragraphs:
            raise WorkflowError("Välj minst en paragraf för omedelbar justering.")
        for p in paragraphs:
            if p.meeting_id != meeting.pk or not p.immediate_justering:
                raise WorkflowError(f"§ {p.number} är inte markerad för omedelbar justering.")
            if p.justerad_at is not None:
                raise WorkflowError(f"§ {p.number} är redan justerad.")
        if m.Justering.objects.filter(meeting=meeting, immediate=True, status=m.JusteringStatus.PAGAR).exists():
            raise WorkflowError("En omedelbar justering pågår redan.")
        problems = [p for p in readiness_problems(meeting, paragraphs) if "paragrafer" not in p]
        problems += vote_problems(meeting, paragraphs)
        if problems:
            raise WorkflowError(" ".join(problems))
        return _open_round(meeting, user, list(paragraphs))


def _round_paragraphs(justering: m.Justering) -> list[m.Paragraph] | None:
    return list(justering.paragraphs.all()) if justering.immediate else None


@dataclass(frozen=True)
class EidEvidence:
    """The fresh e-legitimation authentication a signature rests on, as ``accounts.stepup`` checked
    it: the provider, the keyed hash of the person's identifier, when and at which level (acr) the
    person authenticated, and the SHA-256 of the ID token that said so."""

    issuer: str
    subject_hash: str
    auth_time: datetime.datetime
    acr: str
    id_token_sha256: str


def sign(
    justering: m.Justering, person: m.Person, seen: str | None = None, eid: EidEvidence | None = None
) -> m.Justering:
    """``person`` signs the round. The signature records the hash of the content at this moment, and
    how the signer showed who they were: the ``eid`` evidence, or else the re-entered password.

    A signature given earlier for content that has since changed is void (återkallat) and its signer
    must sign again. When the last valid signature arrives the round is complete: the whole protokoll
    becomes Justerat, or the §§ of an omedelbar justering are locked. ``mail_report`` on the
    returned round tells, once the change is stored, whom the e-mail reached: the secretaries, or on
    completion everyone concerned.
    """
    with transaction.atomic():
        meeting = locked_meeting(justering.meeting)
        justering = m.Justering.objects.select_for_update().get(pk=justering.pk)
        if justering.status != m.JusteringStatus.PAGAR:
            raise WorkflowError("Justeringen är inte längre öppen för underskrift.")
        signatures = list(justering.signatures.select_for_update().filter(status__in=m.LIVE_SIGNATURE_STATUSES))
        mine = next((s for s in signatures if s.person_id == person.pk), None)
        if mine is None:
            raise WorkflowError("Du är inte utsedd att justera det här protokollet.")
        if mine.status == m.SignatureStatus.SIGNERAT:
            raise WorkflowError("Du har redan signerat.")
        now = timezone.now()
        # Kept, so that a signer whose signature a later change voids can see what changed.
        current = keep(signed_content(meeting, _round_paragraphs(justering)))
        if seen is not None and seen != current:
            # Compared under the lock: what the signer read is exactly what the signature covers.
            raise WorkflowError(
                "Protokollet har ändrats sedan du öppnade det. Läs den nya versionen innan du signerar."
            )
        mine.status, mine.signed_at, mine.content_hash = m.SignatureStatus.SIGNERAT, now, current
        fields = ["status", "signed_at", "content_hash", "method"]
        if eid is None:
            mine.method = m.SignatureMethod.LOSENORD
        else:
            mine.method = m.SignatureMethod.E_LEGITIMATION
            mine.eid_issuer, mine.eid_subject_hash, mine.eid_acr = eid.issuer, eid.subject_hash, eid.acr
            mine.eid_auth_time, mine.eid_id_token_sha256 = eid.auth_time, eid.id_token_sha256
            fields += ["eid_issuer", "eid_subject_hash", "eid_acr", "eid_auth_time", "eid_id_token_sha256"]
        mine._change_reason = "Signerat med e-legitimation" if eid else "Signerat"
        mine.save(update_fields=fields)
        justering.mail_report = notifications.notify_on_commit(
            notifications.signed, justering.pk, person.pk, audience="sekreterare"
        )
        for other in signatures:
            if other.status == m.SignatureStatus.SIGNERAT and other.content_hash != current:
                _void_and_renew(other)
        if all(s.status == m.SignatureStatus.SIGNERAT and s.content_hash == current for s in signatures):
            _complete(meeting, justering, current, now)
        return justering


def _void_and_renew(signature: m.Signature) -> None:
    """The content changed after this signature: it no longer counts; the signer is asked again."""
    signature.status = m.SignatureStatus.ATERKALLAT
    signature._change_reason = "Återkallad: innehållet ändrades efter underskriften"
    signature.save(update_fields=["status"])
    # The caller's list still holds this object: mark it open so the round is not seen as complete.
    signature.status = m.SignatureStatus.PAGAR
    m.Signature.objects.create(
        justering=signature.justering, person=signature.person, role=signature.role, position=signature.position
    )


def _complete(meeting: m.Meeting, justering: m.Justering, current: str, now) -> None:
    justering.status, justering.completed_at, justering.content_hash = m.JusteringStatus.JUSTERAT, now, current
    justering._change_reason = "Justerat"
    justering.save(update_fields=["status", "completed_at", "content_hash"])
    if justering.immediate:
        for p in justering.paragraphs.all():
            p.justerad_at = now
            p._change_reason = "Omedelbart justerad"
            with unlocked():
                p.save(update_fields=["justerad_at", "updated_at"])
    else:
        set_status(meeting, S.JUSTERAT, "Justerat", justerat_at=now)
    justering.mail_report = notifications.notify_on_commit(notifications.justerat, justering.pk, audience="mottagare")
    # The sealed PDFs are rendered by a worker: the signing request returns at once.
    documents.queue_justerat_documents(justering)


def send_back(justering: m.Justering, person: m.Person, comment: str) -> m.Justering:
    """A signer sends the protokoll back to the secretary; every signature of the round is void."""
    comment = comment.strip()
    if not comment:
        raise WorkflowError("Skriv en kommentar till sekreteraren om vad som behöver ändras.")
    with transaction.atomic():
        meeting = locked_meeting(justering.meeting)
        justering = m.Justering.objects.select_for_update().get(pk=justering.pk)
        if justering.status != m.JusteringStatus.PAGAR:
            raise WorkflowError("Justeringen är inte längre öppen.")
        signatures = list(justering.signatures.filter(status__in=m.LIVE_SIGNATURE_STATUSES))
        if not any(s.person_id == person.pk for s in signatures):
            raise WorkflowError("Du är inte utsedd att justera det här protokollet.")
        justering.returned_comment = comment
        # The form has checked the comment; a caller that is no form must meet the same limits.
        check_fields(justering, ["returned_comment"])
        for s in signatures:
            s.status = m.SignatureStatus.AVSLAGET if s.person_id == person.pk else m.SignatureStatus.ATERKALLAT
            s.comment = comment if s.person_id == person.pk else ""
            s._change_reason = "Återsänt till sekreteraren"
            s.save(update_fields=["status", "comment"])
        justering.status = m.JusteringStatus.ATERSANT
        justering.returned_by = person
        justering.completed_at = timezone.now()
        justering._change_reason = "Återsänt"
        justering.save(update_fields=["status", "returned_comment", "returned_by", "completed_at"])
        if not justering.immediate:
            set_status(meeting, S.ATERSANT, "Återsänt till sekreteraren")
        justering.mail_report = notifications.notify_on_commit(
            notifications.sent_back, justering.pk, audience="sekreterare"
        )
        return justering
