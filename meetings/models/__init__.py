"""The domain model of a Swedish municipal protokoll, one module per concept.

- ``reference``: Organ, Party, Person, Membership.
- ``meeting``: a Meeting (sammanträde) of an organ, its status and the status sets, and Attendance.
- ``paragraph``: the Paragraphs (§) and their sections: att-satser (DecisionClause), yrkanden (Motion),
  omröstningar (Vote with VoteCast rows), reservationer (Reservation), protokollsanteckningar and
  särskilda yttranden (ProtocolNote) and jäv (Recusal).
- ``justering``: sign-off rounds (Justering, Signature) and rättelser (Correction).
- ``publishing``: Anslag, the public text for search (PublicParagraph), issued PDFs (IssuedPdf).
- ``eid``: e-legitimation: a person's Identity at the OpenID Connect provider, and the SigningRequests
  (step-up authentications) that signatures rest on.

Everything is re-exported here, so ``from meetings import models as m`` reaches every model and
choice, and the migrations keep their single app label.

Every model of meeting data keeps its history with django-simple-history: each create, change and
delete stores a full row snapshot with who (the request's user) and when; ``meetings.audit``
assembles one meeting's log from those snapshots.
"""

from .eid import Identity, SigningRequest, SigningRequestOutcome
from .justering import (
    LIVE_SIGNATURE_STATUSES,
    Correction,
    Justering,
    JusteringStatus,
    PasswordFailure,
    Signature,
    SignatureMethod,
    SignatureStatus,
    SignerRole,
)
from .meeting import (
    DRAFT_STATUSES,
    EDITABLE_STATUSES,
    FINAL_STATUSES,
    IDENTITY_FIELDS,
    LOCKED_STATUSES,
    SERVING_KINDS,
    Attendance,
    AttendanceKind,
    Meeting,
    MeetingStatus,
)
from .paragraph import (
    PARAGRAPH_TEXT_FIELDS,
    DecisionClause,
    Motion,
    MotionKind,
    NoteKind,
    Paragraph,
    ParagraphQuerySet,
    ProtocolNote,
    Recusal,
    Reservation,
    Vote,
    VoteCast,
    VoteChoice,
)
from .publishing import Anslag, AnslagQuerySet, IssuedPdf, PublicParagraph
from .reference import Membership, MembershipQuerySet, MembershipRole, Organ, Party, Person

# The models whose rows make up a protokoll's content: locked under and after justering
# (meetings.locking) and gathered into a meeting's audit log (meetings.audit).
MEETING_DATA_MODELS = (
    Meeting,
    Attendance,
    Paragraph,
    DecisionClause,
    Motion,
    Vote,
    VoteCast,
    Reservation,
    ProtocolNote,
    Recusal,
)

__all__ = [
    "DRAFT_STATUSES",
    "EDITABLE_STATUSES",
    "FINAL_STATUSES",
    "IDENTITY_FIELDS",
    "LIVE_SIGNATURE_STATUSES",
    "LOCKED_STATUSES",
    "MEETING_DATA_MODELS",
    "PARAGRAPH_TEXT_FIELDS",
    "SERVING_KINDS",
    "Anslag",
    "AnslagQuerySet",
    "Attendance",
    "AttendanceKind",
    "Correction",
    "DecisionClause",
    "Identity",
    "IssuedPdf",
    "Justering",
    "JusteringStatus",
    "Meeting",
    "MeetingStatus",
    "Membership",
    "MembershipQuerySet",
    "MembershipRole",
    "Motion",
    "MotionKind",
    "NoteKind",
    "Organ",
    "Paragraph",
    "ParagraphQuerySet",
    "Party",
    "PasswordFailure",
    "Person",
    "ProtocolNote",
    "PublicParagraph",
    "Recusal",
    "Reservation",
    "Signature",
    "SignatureMethod",
    "SignatureStatus",
    "SignerRole",
    "SigningRequest",
    "SigningRequestOutcome",
    "Vote",
    "VoteCast",
    "VoteChoice",
]
