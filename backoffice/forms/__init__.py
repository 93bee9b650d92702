"""Forms of the back office. They validate (in Swedish); the views call a service to save.

- ``fields``: the version field, § numbers typed as text, person choices, own-rows formsets.
- ``meeting``, ``attendance``, ``paragraph`` (with its sections and roll-call votes), ``anslag``.
- ``workflow`` (signing, sending back, rättelse).
- ``register`` (persons, parties, seats, the import), ``papers`` (ärenden, handlingar, bilagor, the
  föredragningslista and the notice).
"""

from .attendance import (
    AdjournmentForm,
    AttendanceForm,
    AttendanceFormSet,
    BaseAttendanceFormSet,
    GuestForm,
    MovementForm,
    ServingDeputyForm,
)
from .fields import (
    MAX_PARAGRAPH_NUMBER,
    MAX_TEXT,
    ParagraphNumbersField,
    PersonChoiceField,
    PersonSelect,
    SearchForm,
    Sections,
    VersionForm,
    form_errors,
    limit_people,
    model_fields,
    numbers_text,
    parse_numbers,
    person_choices,
    person_label,
    version_field,
)
from .meeting import MeetingCreateForm, MeetingForm
from .papers import (
    AgendaFreeItemForm,
    AgendaItemForm,
    AgendaPaperForm,
    FileEditForm,
    FileUploadForm,
    NoticeForm,
    PaperForm,
)
from .paragraph import SECTION_FORMSETS, ParagraphForm, VoteForm
from .register import (
    ImportConfirmForm,
    ImportForm,
    MembershipForm,
    OrganSettingsForm,
    PartyForm,
    PersonForm,
    StandingItemFormSet,
)
from .workflow import CorrectionForm, SendBackForm, SignForm

__all__ = [
    "MAX_PARAGRAPH_NUMBER",
    "MAX_TEXT",
    "SECTION_FORMSETS",
    "AgendaFreeItemForm",
    "CorrectionForm",
    "SendBackForm",
    "SignForm",
    "AgendaItemForm",
    "AgendaPaperForm",
    "FileEditForm",
    "FileUploadForm",
    "ImportConfirmForm",
    "ImportForm",
    "MembershipForm",
    "NoticeForm",
    "OrganSettingsForm",
    "PaperForm",
    "PartyForm",
    "PersonChoiceField",
    "PersonForm",
    "PersonSelect",
    "StandingItemFormSet",
    "AdjournmentForm",
    "AttendanceForm",
    "AttendanceFormSet",
    "BaseAttendanceFormSet",
    "GuestForm",
    "MeetingCreateForm",
    "MeetingForm",
    "MovementForm",
    "ParagraphForm",
    "ParagraphNumbersField",
    "SearchForm",
    "Sections",
    "ServingDeputyForm",
    "VersionForm",
    "VoteForm",
    "form_errors",
    "limit_people",
    "model_fields",
    "numbers_text",
    "parse_numbers",
    "person_choices",
    "person_label",
    "version_field",
]
