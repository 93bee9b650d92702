"""Rättelse of a justerat protokoll: a recorded, visible correction (JO 581-2013).

Corrections never replace text silently: each is stored as a Correction and listed in the
protokoll and its PDFs, and a posted protokoll's public text follows it.
"""

from __future__ import annotations

from django.db import transaction

from .. import models as m
from ..locking import unlocked
from . import documents
from .anslag import write_public_text
from .base import WorkflowError, change_reason, check_fields, locked_meeting

# Fields a rättelse may change, by model: the text of the protokoll, never its structure (and not
# the decision's opening line, which is the organ's own).
CORRECTABLE_FIELDS = {
    m.Paragraph: [name for name in m.PARAGRAPH_TEXT_FIELDS if name != "decision_intro"],
    m.DecisionClause: ["text"],
}


def correct(obj: object, field: str, new_text: str, reason: str, user) -> m.Correction:
    """A rättelse of a justerat protokoll: the change is made and recorded visibly (JO 581-2013)."""
    model = type(obj)
    if field not in CORRECTABLE_FIELDS.get(model, []):
        raise WorkflowError("Det fältet kan inte rättas.")
    reason = reason.strip()
    if not reason:
        raise WorkflowError("Ange skälet till rättelsen.")
    paragraph = obj if isinstance(obj, m.Paragraph) else obj.paragraph
    with transaction.atomic():
        meeting = locked_meeting(paragraph.meeting)
        paragraph.meeting = meeting
        if not paragraph.may_be_corrected:
            raise WorkflowError("Rättelse görs bara i justerade protokoll; ändra utkastet direkt.")
        obj = model.objects.select_for_update().get(pk=obj.pk)
        old_text = getattr(obj, field)
        if old_text == new_text:
            raise WorkflowError("Rättelsen ändrar ingenting.")
        setattr(obj, field, new_text)
        label = f"§ {paragraph.number}, {model._meta.get_field(field).verbose_name}"
        correction = m.Correction(
            meeting=meeting,
            paragraph=paragraph,
            field_label=label,
            old_text=old_text,
            new_text=new_text,
            reason=reason,
            made_by=user,
        )
        # The form has checked both; a caller that is no form must meet the same limits.
        check_fields(obj, [field])
        check_fields(correction, ["reason", "new_text"])
        # The history's column holds 100 characters; the Correction keeps the whole reason.
        change_reason(obj, f"Rättelse: {reason}")
        with unlocked():
            obj.save(update_fields=[field])
        # A posted protokoll's search text must follow the correction too.
        for anslag in m.Anslag.objects.filter(meeting=meeting).select_related("justering"):
            write_public_text(anslag)
        documents.queue_after_correction(meeting)
        correction.save()
        return correction
