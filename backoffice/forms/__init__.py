"""Forms of the back office. They validate (in Swedish); the views call a service to save.

- ``fields``: the version field, § numbers typed as text, person choices, own-rows formsets.
- ``meeting``, ``attendance``, ``paragraph`` (with its sections and roll-call votes), ``anslag``.
"""

from .attendance import AttendanceForm, AttendanceFormSet, BaseAttendanceFormSet, GuestForm, ServingDeputyForm
from .fields import (
    MAX_PARAGRAPH_NUMBER,
    MAX_TEXT,
    ParagraphNumbersField,
    VersionForm,
    limit_people,
    model_fields,
    numbers_text,
    parse_numbers,
    person_choices,
    person_label,
    version_field,
)
from .meeting import MeetingCreateForm, MeetingForm
from .paragraph import SECTION_FORMSETS, ParagraphForm, VoteForm

__all__ = [
    "MAX_PARAGRAPH_NUMBER",
    "MAX_TEXT",
    "SECTION_FORMSETS",
    "AttendanceForm",
    "AttendanceFormSet",
    "BaseAttendanceFormSet",
    "GuestForm",
    "MeetingCreateForm",
    "MeetingForm",
    "ParagraphForm",
    "ParagraphNumbersField",
    "ServingDeputyForm",
    "VersionForm",
    "VoteForm",
    "limit_people",
    "model_fields",
    "numbers_text",
    "parse_numbers",
    "person_choices",
    "person_label",
    "version_field",
]
