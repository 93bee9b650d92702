"""OParl 1.1 objects as plain dicts: one function per object type, no framework.

Each function takes a model instance loaded by ``api.views`` (with the prefetches and the
``api_modified`` annotation it names) and returns the JSON object. What is public was decided before
(``meetings.public``); here every free text a protokoll carries passes ``mask_personnummer``, the
function the public version uses, and a § under sekretess shows what ``WithheldParagraph`` shows:
its number and "Ärendet omfattas av sekretess", nothing else. Persons carry name, party and roles
only: never e-mail, title or user.

Votes are no OParl object: each AgendaItem carries them under ``protokoll:voteEvents`` as Popolo
VoteEvents (docs/oparl.md).
"""

from __future__ import annotations

import datetime
import functools
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

from meetings import models as m
from meetings.public import SECRET_TITLE, mask_personnummer
from meetings.services import decision

OPARL = "https://schema.oparl.org/1.1/"
OPARL_VERSION = OPARL
# The vendor prefix of our own properties (OParl 1.1, "Herstellerspezifische Erweiterungen").
EXT = "protokoll:"
# Popolo's vote options for the protokoll's choices.
OPTIONS = {
    m.VoteChoice.JA: "yes",
    m.VoteChoice.NEJ: "no",
    m.VoteChoice.AVSTAR: "abstain",
    m.VoteChoice.FRANVARANDE: "absent",
}


@dataclass(frozen=True)
class Urls:
    """The absolute URLs of the API's objects, from ``SITE_URL`` (the canonical address, OParl 2.3)."""

    root: str

    @classmethod
    def current(cls) -> Urls:
        return cls(settings.SITE_URL + reverse("oparl_system"))

    def bodies(self) -> str:
        return f"{self.root}body"

    def body(self) -> str:
        return f"{self.root}body/1"

    def body_list(self, name: str) -> str:
        return f"{self.root}body/1/{name}"

    def organization(self, pk: int) -> str:
        return f"{self.root}organization/{pk}"

    def organization_meetings(self, pk: int) -> str:
        return f"{self.root}organization/{pk}/meeting"

    def party(self, pk: int) -> str:
        return f"{self.root}party/{pk}"

    def person(self, pk: int) -> str:
        return f"{self.root}person/{pk}"

    def membership(self, pk: int) -> str:
        return f"{self.root}membership/{pk}"

    def meeting(self, pk: int) -> str:
        return f"{self.root}meeting/{pk}"

    def location(self, meeting_pk: int) -> str:
        return f"{self.root}location/{meeting_pk}"

    def agenda_item(self, pk: int) -> str:
        return f"{self.root}agendaitem/{pk}"

    def paper(self, pk: int) -> str:
        return f"{self.root}paper/{pk}"

    def consultation(self, pk: int) -> str:
        return f"{self.root}consultation/{pk}"

    def file(self, pk: int) -> str:
        return f"{self.root}file/{pk}"

    def protocol(self, anslag_pk: int) -> str:
        return f"{self.root}protocol/{anslag_pk}"


def stamp(value: datetime.datetime) -> str:
    """OParl's date-time: ``yyyy-mm-ddThh:mm:ss±hh:mm`` in the site's time zone."""
    return value.astimezone(_zone()).isoformat(timespec="seconds")


@functools.cache
def _zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _at(day: datetime.date, time: datetime.time) -> str:
    return stamp(datetime.datetime.combine(day, time, tzinfo=_zone()))


def _text(value: str) -> str:
    return mask_personnummer(value)


def _compact(obj: dict) -> dict:
    """Leave out what has no value: OParl 2.4 asks for no null, no empty string and no empty list
    in optional properties."""
    return {key: value for key, value in obj.items() if value not in (None, "", [])}


def _site(name: str, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


# ---------------------------------------------------------------------------------------------------
# System, Body, Organization, Person, Membership
# ---------------------------------------------------------------------------------------------------


def system(u: Urls, created: datetime.datetime | None, modified: datetime.datetime | None) -> dict:
    municipality = settings.MUNICIPALITY_NAME or "Kommunen"
    return _compact(
        {
            "id": u.root,
            "type": f"{OPARL}System",
            "oparlVersion": OPARL_VERSION,
            "name": f"{municipality}: protokoll och anslagstavla",
            "body": u.bodies(),
            "website": _site("public_board"),
            "web": _site("public_board"),
            "created": stamp(created) if created else None,
            "modified": stamp(modified) if modified else None,
        }
    )


def body(u: Urls, created: datetime.datetime | None, modified: datetime.datetime | None) -> dict:
    return _compact(
        {
            "id": u.body(),
            "type": f"{OPARL}Body",
            "system": u.root,
            "name": settings.MUNICIPALITY_NAME or "Kommunen",
            "classification": "Kommun",
            "organization": u.body_list("organization"),
            "person": u.body_list("person"),
            "meeting": u.body_list("meeting"),
            "paper": u.body_list("paper"),
            "agendaItem": u.body_list("agendaitem"),
            "file": u.body_list("file"),
            "membership": u.body_list("membership"),
            # Required; the register keeps no mandatperioder yet.
            "legislativeTerm": [],
            "web": _site("public_board"),
            "created": stamp(created) if created else None,
            "modified": stamp(modified) if modified else None,
        }
    ) | {"legislativeTerm": []}


def organ(u: Urls, organ: m.Organ) -> dict:
    """An organ (nämnd, styrelse, utskott, fullmäktige) as an Organization. Annotated:
    ``api_modified``; prefetched: ``memberships``."""
    return _compact(
        {
            "id": u.organization(organ.pk),
            "type": f"{OPARL}Organization",
            "body": u.body(),
            "name": organ.name,
            "shortName": organ.short_name,
            "organizationType": "Gremium",
            "classification": organ.get_kind_display(),
            "membership": [u.membership(ms.pk) for ms in organ.memberships.all()],
            "meeting": u.organization_meetings(organ.pk),
            "created": stamp(organ.created_at),
            "modified": stamp(organ.api_modified),
        }
    )


def party(u: Urls, party: m.Party) -> dict:
    """A party as an Organization (OParl's organizationType "Partei"): what a membership is on behalf of."""
    return _compact(
        {
            "id": u.party(party.pk),
            "type": f"{OPARL}Organization",
            "body": u.body(),
            "name": party.name,
            "shortName": party.abbreviation,
            "organizationType": "Partei",
            "classification": "Parti",
            "created": stamp(party.created_at),
            "modified": stamp(party.updated_at),
        }
    )


def membership(u: Urls, ms: m.Membership) -> dict:
    """A seat in an organ: role, whether it votes (an ersättare does not unless serving), period and party."""
    return _compact(
        {
            "id": u.membership(ms.pk),
            "type": f"{OPARL}Membership",
            "person": u.person(ms.person_id),
            "organization": u.organization(ms.organ_id),
            "role": ms.get_role_display(),
            "votingRight": ms.is_voting_member,
            "startDate": ms.start.isoformat(),
            "endDate": ms.end.isoformat() if ms.end else None,
            "onBehalfOf": u.party(ms.party_id) if ms.party_id else None,
            "created": stamp(ms.created_at),
            "modified": stamp(ms.updated_at),
        }
    )


def person(u: Urls, person: m.Person, omit_internal: bool = False) -> dict:
    """Name, party and seats; nothing else the register holds. Annotated: ``api_modified``;
    prefetched: ``memberships`` (unless ``omit_internal``); selected: ``party``."""
    return _compact(
        {
            "id": u.person(person.pk),
            "type": f"{OPARL}Person",
            "body": u.body(),
            "name": _text(person.name),
            "membership": [] if omit_internal else [membership(u, ms) for ms in person.memberships.all()],
            f"{EXT}party": u.party(person.party_id) if person.party_id else None,
            "created": stamp(person.created_at),
            "modified": stamp(person.api_modified),
        }
    )


# ---------------------------------------------------------------------------------------------------
# Meeting, Location, AgendaItem and its votes
# ---------------------------------------------------------------------------------------------------


def location(u: Urls, meeting: m.Meeting) -> dict:
    """The meeting's place ("Sessionssalen"): a Location of its own per meeting."""
    return _compact(
        {
            "id": u.location(meeting.pk),
            "type": f"{OPARL}Location",
            "description": _text(meeting.place),
            "meetings": [u.meeting(meeting.pk)],
            "created": stamp(meeting.created_at),
            "modified": stamp(meeting.api_modified),
        }
    )


def protocol(u: Urls, anslag: m.Anslag, meeting: m.Meeting) -> dict:
    """The public version of a posted protokoll (or of an omedelbar justering's §§) as a File: the
    sealed PDF the anslagstavla serves. Annotated: ``visible`` (when it went up or was last
    re-rendered after a rättelse)."""
    kind = "Protokollsutdrag" if anslag.justering.immediate else "Protokoll"
    title = f"{kind} {meeting.organ.short_name} {meeting.date.isoformat()}"
    if anslag.justering.immediate:
        title = f"{title} {anslag.paragraphs_label}"
    return _compact(
        {
            "id": u.protocol(anslag.pk),
            "type": f"{OPARL}File",
            "name": f"{title}, publicerad version",
            "fileName": f"{title} publicerad version.pdf",
            "mimeType": "application/pdf",
            "date": anslag.posted_on.isoformat(),
            "accessUrl": _site("public_anslag_pdf", anslag.pk),
            "downloadUrl": _site("public_anslag_pdf", anslag.pk),
            "meeting": [u.meeting(meeting.pk)],
            "web": _site("public_anslag", anslag.pk),
            "created": stamp(anslag.created_at),
            "modified": stamp(anslag.visible),
        }
    )


def meeting(u: Urls, meeting: m.Meeting, omit_internal: bool = False) -> dict:
    """A meeting with a posted anslag. Annotated: ``api_modified``; prefetched: ``public_anslag``
    (posted, oldest first), ``present`` (attendance rows of those there) and, unless
    ``omit_internal``, ``public_paragraphs`` (as ``agenda_item`` needs them)."""
    anslag = meeting.public_anslag
    whole = next((a for a in anslag if not a.justering.immediate), None)
    immediate = [a for a in anslag if a.justering.immediate]
    main = whole or anslag[0]
    items = [] if omit_internal else [agenda_item(u, p) for p in meeting.public_paragraphs]
    return _compact(
        {
            "id": u.meeting(meeting.pk),
            "type": f"{OPARL}Meeting",
            "name": f"{meeting.organ.name} {meeting.date.isoformat()}",
            "meetingState": "genomfört",
            "start": _at(meeting.date, meeting.start_time),
            "end": _at(meeting.date, meeting.end_time) if meeting.end_time else None,
            "location": location(u, meeting),
            "organization": [u.organization(meeting.organ_id)],
            "participant": list(dict.fromkeys(u.person(a.person_id) for a in meeting.present)),
            "resultsProtocol": protocol(u, whole, meeting) if whole else None,
            "auxiliaryFile": [] if omit_internal else [protocol(u, a, meeting) for a in immediate],
            "agendaItem": items,
            f"{EXT}diarienummer": _text(meeting.diarienummer),
            "web": _site("public_anslag", main.pk),
            "created": stamp(meeting.created_at),
            "modified": stamp(meeting.api_modified),
        }
    )


def agenda_item(u: Urls, p: m.Paragraph) -> dict:
    """A published § as an AgendaItem: the decision (the organ's "beslutar" as ``result``, the
    att-satser and free text as ``resolutionText``), the public bilagor, the ärende it decided
    (``consultation``) and its votes (``protokoll:voteEvents``). A § under sekretess keeps its
    number and nothing else. Annotated: ``api_modified``; selected: ``meeting__organ``,
    ``agenda_item``; prefetched as ``api.views.paragraphs`` has them."""
    common = {
        "id": u.agenda_item(p.pk),
        "type": f"{OPARL}AgendaItem",
        "meeting": u.meeting(p.meeting_id),
        "number": str(p.number),
        "order": p.position,
        "created": stamp(p.created_at),
        "modified": stamp(p.api_modified),
    }
    if p.secret:
        return common | {"name": SECRET_TITLE, "public": False}
    clauses = [_text(c.text) for c in p.clauses.all()]
    resolution = "\n".join([*clauses, _text(p.decision_text)]).strip()
    item = getattr(p, "agenda_item", None)
    return _compact(
        common
        | {
            "name": _text(p.title),
            "public": True,
            "consultation": u.consultation(item.pk) if item is not None and item.paper_id else None,
            "result": _text(p.decision_intro),
            "resolutionText": resolution,
            "auxiliaryFile": [file(u, f) for f in p.public_files],
            f"{EXT}dnr": _text(p.dnr),
            f"{EXT}summary": _text(p.summary),
            f"{EXT}basis": _text(p.basis),
            f"{EXT}proposal": _text(p.proposal),
            f"{EXT}propositionOrder": _text(p.proposition_order),
            f"{EXT}voteEvents": vote_events(u, p),
        }
    )


def vote_events(u: Urls, p: m.Paragraph) -> list[dict]:
    """The §'s roll calls as Popolo VoteEvents, in the order the propositions were put: each on a
    proposition, then those recorded without one (older protokoll)."""
    votes = list(p.votes.all())
    on_proposition = {v.proposition_id: v for v in votes if v.proposition_id}
    organ_name = decision.organ_phrase(p.meeting.organ.name)
    events = []
    for proposition in p.propositions.all():
        vote = on_proposition.get(proposition.pk)
        if vote is None:
            continue  # decided by acclamation: no vote
        outcome = decision.proposition_outcome(proposition, vote)
        sentence = decision.result_sentence(
            outcome, proposition.kind, proposition.ja_label, proposition.nej_label, organ_name
        )
        events.append(_vote_event(u, vote, outcome, proposition.kind, proposition.election, sentence))
    for vote in votes:
        if vote.proposition_id is None:
            outcome = decision.vote_outcome(vote)
            kind = m.PropositionKind.HUVUDFRAGA
            sentence = decision.result_sentence(outcome, kind, vote.ja_means, vote.nej_means, organ_name)
            events.append(_vote_event(u, vote, outcome, kind, False, sentence))
    return events


def _vote_event(u: Urls, vote: m.Vote, outcome: decision.Outcome, kind: str, election: bool, sentence: str) -> dict:
    """One roll call: the motion (what Ja and Nej stood for), the counts, each member's vote, which
    side won, by which rule and whether the chair's casting vote decided it (KL 5 kap. 55–56 §§).
    An election gives the counts only: a val is held with slutna sedlar when a member asks for it
    (KL 5 kap. 54 §), which the register does not record, so no ballot is tied to a name."""
    yes, no = _text(vote.ja_means), _text(vote.nej_means)
    winner = {m.Side.JA: yes, m.Side.NEJ: no}.get(outcome.winner)
    event = {
        "identifier": f"omrostning-{vote.pk}",
        "motion": {
            "classification": kind,
            "text": f"Ja-röst för {yes}, Nej-röst för {no}",
            "yes": yes,
            "no": no,
        },
        "counts": [
            {"option": "yes", "value": outcome.ja},
            {"option": "no", "value": outcome.nej},
            {"option": "abstain", "value": outcome.avstar},
            {"option": "absent", "value": outcome.franvarande},
        ],
        "result": OPTIONS[outcome.winner] if outcome.winner else "undecided",
        "winning_proposal": winner,
        "decided_by": str(outcome.rule),
        "casting_vote": outcome.casting_vote,
        "secret_ballot": election,
        "result_text": _text(sentence),
    }
    if not election:
        event["votes"] = [
            _compact(
                {
                    "voter_id": u.person(cast.person_id),
                    "voter_name": _text(cast.person.name),
                    "group_id": u.party(cast.party_id) if cast.party_id else None,
                    "group_name": cast.party.abbreviation if cast.party_id else None,
                    "option": OPTIONS[cast.choice],
                }
            )
            for cast in vote.casts.all()
        ]
    return _compact(event)


# ---------------------------------------------------------------------------------------------------
# Paper, Consultation, File
# ---------------------------------------------------------------------------------------------------


def consultation(u: Urls, item: m.AgendaItem) -> dict:
    """An ärende's handling at a meeting: the agenda item whose § decided it. Annotated:
    ``api_modified``; selected: ``paragraph``, ``meeting``."""
    return {
        "id": u.consultation(item.pk),
        "type": f"{OPARL}Consultation",
        "paper": u.paper(item.paper_id),
        "agendaItem": u.agenda_item(item.paragraph_id),
        "meeting": u.meeting(item.meeting_id),
        "organization": [u.organization(item.meeting.organ_id)],
        "authoritative": True,
        "role": "Beslut",
        "created": stamp(item.paragraph.created_at),
        "modified": stamp(item.api_modified),
    }


def paper(u: Urls, paper: m.Paper, omit_internal: bool = False) -> dict:
    """An ärende: Dnr, rubrik, organ, its public handlingar and where it was decided. Annotated:
    ``api_modified``; prefetched: ``public_files``, ``public_consultations``."""
    return _compact(
        {
            "id": u.paper(paper.pk),
            "type": f"{OPARL}Paper",
            "body": u.body(),
            "name": _text(paper.name),
            "reference": _text(paper.reference),
            "date": paper.date.isoformat(),
            "paperType": "Ärende",
            "underDirectionOf": [u.organization(paper.organ_id)],
            "auxiliaryFile": [] if omit_internal else [file(u, f) for f in paper.public_files],
            "consultation": [] if omit_internal else [consultation(u, c) for c in paper.public_consultations],
            "created": stamp(paper.created_at),
            "modified": stamp(paper.api_modified),
        }
    )


def file(u: Urls, f: m.File) -> dict:
    """A published handling or bilaga, downloaded from the anslagstavla. Annotated: ``api_modified``."""
    return _compact(
        {
            "id": u.file(f.pk),
            "type": f"{OPARL}File",
            "name": _text(f.name),
            "fileName": _text(f.file_name),
            "mimeType": f.mime_type,
            "date": f.date.isoformat(),
            "size": f.size,
            "accessUrl": _site("public_file", f.pk),
            "downloadUrl": _site("public_file", f.pk),
            f"{EXT}sha256Checksum": f.sha256,
            "agendaItem": [u.agenda_item(f.paragraph_id)] if f.paragraph_id else None,
            "paper": [u.paper(f.paper_id)] if f.paper_id else None,
            "created": stamp(f.created_at),
            "modified": stamp(f.api_modified),
        }
    )


def deleted_file(u: Urls, row) -> dict:
    """A withdrawn file (a row of its history, ``meetings.public.withdrawn_files``): what OParl 2.8
    keeps of a deleted object, and nothing else."""
    return {
        "id": u.file(row.id),
        "type": f"{OPARL}File",
        "deleted": True,
        "created": stamp(row.created_at),
        "modified": stamp(row.history_date),
    }
