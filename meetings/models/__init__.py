"""The domain model of a Swedish municipal protokoll, one module per concept.

- ``reference``: Organ, Party, Person, Membership.
- ``paper``: ärenden (Paper) and their documents (File: handlingar and bilagor), named as in OParl.
- ``agenda``: the föredragningslista (AgendaItem, from the organ's StandingItem template), the
  kallelse sent (Kallelse) and the public notice of a fullmäktige meeting (MeetingNotice).
- ``meeting``: a Meeting (sammanträde) of an organ, its status and the status sets, and Attendance.
- ``paragraph``: the Paragraphs (§) and their sections: att-satser (DecisionClause), yrkanden (Motion),
  omröstningar (Vote with VoteCast rows), reservationer (Reservation), protokollsanteckningar and
  särskilda yttranden (ProtocolNote) and jäv (Recusal).
- ``decision``: how a § was decided: the propositions the chair put (Proposition), in order, each
  decided by acclamation or by a Vote.
- ``expediering``: the e-mail address of each recipient of a §'s extract, and every send (Dispatch,
  its message in the outbox).
- ``justering``: sign-off rounds (Justering, Signature) and rättelser (Correction).
- ``publishing``: Anslag, the public text for search (PublicParagraph), issued PDFs (IssuedPdf), and
  the renders tasks were asked for (RenderRequest).
- ``eid``: e-legitimation: a person's Identity at the OpenID Connect provider, and the SigningRequests
  (step-up authentications) that signatures rest on.
- ``mail``: the e-mail outbox (OutgoingMail) and each delivery attempt (MailAttempt).

Everything is re-exported here, so ``from meetings import models as m`` reaches every model and
choice, and the migrations keep their single app label.

Every model of meeting data keeps its history with django-simple-history: each create, change and
delete stores a full row snapshot with who (the request's user) and when; ``meetings.audit``
assembles one meeting's log from those snapshots.
"""

from .agenda import (
    DEFAULT_STANDING_ITEMS,
    AgendaItem,
    Kallelse,
    MeetingNotice,
    MeetingNoticeQuerySet,
    StandingItem,
    noticed_paper_condition,
)
from .appeal import AppealRoute, NotAppealableReason
from .decision import FORMAL_KINDS, DecidingRule, Proposition, PropositionKind, Side
from .eid import Identity, SigningRequest, SigningRequestOutcome
from .expediering import Dispatch, Recipient
from .justering import (
    LIVE_SIGNATURE_STATUSES,
    Correction,
    Justering,
    JusteringStatus,
    PasswordFailure,
    Signature,
    SignatureMethod,
    SignatureStatus,
    SignedContent,
    SignerRole,
)
from .mail import MailAttempt, MailStatus, OutgoingMail
from .meeting import (
    DRAFT_STATUSES,
    EDITABLE_STATUSES,
    FINAL_STATUSES,
    IDENTITY_FIELDS,
    LOCKED_STATUSES,
    SERVING_KINDS,
    Adjournment,
    Attendance,
    AttendanceKind,
    Meeting,
    MeetingStatus,
)
from .paper import File, FileQuerySet, Paper, PersonnummerScan, published_container_condition
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
from .publishing import (
    Anslag,
    AnslagQuerySet,
    IssuedPdf,
    PublicationGeneration,
    PublicParagraph,
    RenderRequest,
    RenderStatus,
    published_paragraph_condition,
)
from .reference import (
    FULLMAKTIGE_KALLELSE_DAYS,
    Membership,
    MembershipQuerySet,
    MembershipRole,
    Organ,
    OrganKind,
    Party,
    Person,
)

# The models whose rows make up a protokoll's content: locked under and after justering
# (meetings.locking) and gathered into a meeting's audit log (meetings.audit).
MEETING_DATA_MODELS = (
    Meeting,
    Attendance,
    Adjournment,
    Paragraph,
    DecisionClause,
    Motion,
    Proposition,
    Vote,
    VoteCast,
    Reservation,
    ProtocolNote,
    Recusal,
    File,  # bilagor (File.paragraph); a handling of an ärende is not protokoll content (locking skips it)
)

__all__ = [
    "DEFAULT_STANDING_ITEMS",
    "DRAFT_STATUSES",
    "EDITABLE_STATUSES",
    "FINAL_STATUSES",
    "FORMAL_KINDS",
    "FULLMAKTIGE_KALLELSE_DAYS",
    "IDENTITY_FIELDS",
    "LIVE_SIGNATURE_STATUSES",
    "LOCKED_STATUSES",
    "MEETING_DATA_MODELS",
    "PARAGRAPH_TEXT_FIELDS",
    "SERVING_KINDS",
    "Adjournment",
    "AgendaItem",
    "Anslag",
    "AnslagQuerySet",
    "AppealRoute",
    "Attendance",
    "AttendanceKind",
    "Correction",
    "DecidingRule",
    "DecisionClause",
    "Dispatch",
    "File",
    "FileQuerySet",
    "Identity",
    "IssuedPdf",
    "Justering",
    "JusteringStatus",
    "Kallelse",
    "MailAttempt",
    "MailStatus",
    "Meeting",
    "MeetingNotice",
    "MeetingNoticeQuerySet",
    "MeetingStatus",
    "Membership",
    "MembershipQuerySet",
    "MembershipRole",
    "Motion",
    "MotionKind",
    "NotAppealableReason",
    "NoteKind",
    "Organ",
    "OrganKind",
    "OutgoingMail",
    "Paper",
    "Paragraph",
    "ParagraphQuerySet",
    "Party",
    "PasswordFailure",
    "Person",
    "PersonnummerScan",
    "Proposition",
    "PropositionKind",
    "ProtocolNote",
    "PublicParagraph",
    "RenderRequest",
    "RenderStatus",
    "PublicationGeneration",
    "Recipient",
    "Recusal",
    "Reservation",
    "Side",
    "Signature",
    "SignatureMethod",
    "SignatureStatus",
    "SignedContent",
    "SignerRole",
    "SigningRequest",
    "SigningRequestOutcome",
    "StandingItem",
    "Vote",
    "VoteCast",
    "VoteChoice",
    "noticed_paper_condition",
    "published_container_condition",
    "published_paragraph_condition",
]
