"""The § editor: the paragraph's own fields, its sections as formsets, and roll-call votes."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator
from django.forms.models import BaseInlineFormSet, inlineformset_factory

from meetings import models as m
from meetings.appeal import route_problems
from meetings.services.decision import side_text

from .fields import (
    MAX_PARAGRAPH_NUMBER,
    MAX_TEXT,
    OwnRowsMixin,
    check_recipient_lines,
    limit_people,
    person_label,
    version_field,
)


class ParagraphForm(forms.ModelForm):
    """The paragraph's own fields. On creation the number may be left empty for the next free one."""

    version = version_field(required=False)

    class Meta:
        model = m.Paragraph
        fields = [
            "number",
            "title",
            "dnr",
            "secret",
            "immediate_justering",
            "summary",
            "basis",
            "proposal",
            "decision_intro",
            "decision_text",
            "proposition_order",
            "recipients",
            "appeal_route",
            "appeal_body",
            "appeal_law",
            "not_appealable_reason",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "basis": forms.Textarea(attrs={"rows": 3}),
            "proposal": forms.Textarea(attrs={"rows": 4}),
            "decision_text": forms.Textarea(attrs={"rows": 2}),
            "proposition_order": forms.Textarea(attrs={"rows": 3}),
            "recipients": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, meeting: m.Meeting, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        number = self.fields["number"]
        number.max_value = MAX_PARAGRAPH_NUMBER
        number.validators.append(MaxValueValidator(MAX_PARAGRAPH_NUMBER))
        number.widget.attrs["max"] = MAX_PARAGRAPH_NUMBER
        for name in ("summary", "basis", "proposal", "decision_text", "proposition_order", "recipients"):
            self.fields[name].max_length = MAX_TEXT
            self.fields[name].widget.attrs["maxlength"] = MAX_TEXT
            self.fields[name].validators.append(MaxLengthValidator(MAX_TEXT))
        self.fields["decision_intro"].help_text = f"Tomt = ”{meeting.organ.decision_intro}”."
        self.fields["proposition_order"].label = "Propositionsordning (fritext)"
        self.fields["proposition_order"].help_text = "Text som står före propositionerna, om någon."
        self.fields["appeal_route"].required = False
        if self.instance.pk:
            self.initial.setdefault("version", self.instance.version)
            self.fields["version"].required = True
        else:
            number.required = False
            number.help_text = "Tomt = nästa lediga nummer i organets nummerserie."
        if meeting.organ.dnr_required:
            self.fields["dnr"].required = True
            self.fields["dnr"].help_text = "Krävs för det här organet."

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise ValidationError("Ange en rubrik.")
        return title

    def clean_recipients(self) -> str:
        recipients = self.cleaned_data["recipients"]
        check_recipient_lines(recipients)
        return recipients

    def clean_dnr(self) -> str:
        dnr = self.cleaned_data["dnr"].strip()
        if self.meeting.organ.dnr_required and not dnr:
            raise ValidationError("Ange diarienummer; det krävs för det här organet.")
        return dnr

    def clean(self) -> dict:
        data = super().clean()
        route = data["appeal_route"] = data.get("appeal_route") or self.instance.appeal_route
        problems = route_problems(route, data.get("appeal_body", ""), data.get("not_appealable_reason", ""))
        for name, message in problems.items():
            self.add_error(name, message)
        if route != m.AppealRoute.EJ_OVERKLAGBART:
            data["not_appealable_reason"] = ""
        return data

    def clean_number(self) -> int | None:
        number = self.cleaned_data.get("number")
        if number is None:
            return None
        clash = m.Paragraph.objects.filter(
            organ_id=self.meeting.organ_id, year=self.meeting.date.year, number=number
        ).exclude(pk=self.instance.pk)
        if clash.exists():
            raise ValidationError(
                f"§ {number} finns redan i {self.meeting.organ.short_name}s nummerserie för {self.meeting.date.year}."
            )
        return number


class ClauseForm(forms.ModelForm):
    class Meta:
        model = m.DecisionClause
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}
        labels = {"text": "Att-sats"}
        help_texts = {"text": "T.ex. ”att lägga informationen till handlingarna.”"}


class MotionForm(forms.ModelForm):
    class Meta:
        model = m.Motion
        fields = ["person", "kind", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}


class PropositionForm(forms.ModelForm):
    """One question the chair put (a step of the propositionsordning, KL 5 kap. 67 § p. 2)."""

    class Meta:
        model = m.Proposition
        fields = ["kind", "ja_label", "nej_label", "chair_finds", "election", "lot_winner"]

    def clean(self) -> dict:
        data = super().clean()
        kind, ja, nej = data.get("kind"), data.get("ja_label", "").strip(), data.get("nej_label", "").strip()
        if kind in (m.PropositionKind.HUVUDFRAGA, m.PropositionKind.KONTRAPROPOSITION):
            if not ja:
                self.add_error("ja_label", "Ange förslaget som ordföranden ställer som Ja.")
            if not nej:
                self.add_error("nej_label", "Ange förslaget som ställs mot det (Nej).")
        if kind == m.PropositionKind.TILLAGG and not ja:
            self.add_error("ja_label", "Ange tilläggsyrkandet, t.ex. ”Anna Bergs (V) tilläggsyrkande”.")
        # A roll call on this proposition names its sides in the vote's own columns.
        limit = m.Vote._meta.get_field("ja_means").max_length
        if kind and any(len(side_text(kind, ja, nej, side)) > limit for side in m.Side.values):
            self.add_error("ja_label", f"Förslaget blir för långt för omröstningen (högst {limit} tecken). Korta det.")
        if data.get("lot_winner") and not data.get("election"):
            # KL 5 kap. 56 §: only a val or an anställning is decided by lot.
            self.add_error("lot_winner", "Lottning avgör bara val och anställning. Annars har ordföranden utslagsröst.")
        return data


class ReservationForm(forms.ModelForm):
    class Meta:
        model = m.Reservation
        fields = ["persons", "motivation"]
        widgets = {"persons": forms.CheckboxSelectMultiple, "motivation": forms.Textarea(attrs={"rows": 2})}


class NoteForm(forms.ModelForm):
    class Meta:
        model = m.ProtocolNote
        fields = ["kind", "person", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}


class RecusalForm(forms.ModelForm):
    class Meta:
        model = m.Recusal
        fields = ["person", "substitute"]

    def clean(self) -> dict:
        data = super().clean()
        if data.get("substitute") and data.get("substitute") == data.get("person"):
            self.add_error("substitute", "Den jäviga ledamoten kan inte ersätta sig själv.")
        return data


class BasePeopleFormSet(OwnRowsMixin, BaseInlineFormSet):
    """An inline formset whose person fields are limited to the meeting's attendances."""

    people_fields: dict[str, str] = {}
    ordered = True

    def __init__(self, *args, people: dict[str, list[m.Attendance]], **kwargs) -> None:
        self.people = people
        super().__init__(*args, **kwargs)

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        for field_name, group in self.people_fields.items():
            field = form.fields[field_name]
            # A single select always starts blank: a preselected first person would turn an
            # untouched extra row into a saved one.
            limit_people(field, self.people[group], blank=not isinstance(field, forms.ModelMultipleChoiceField))
        if "ORDER" in form.fields:
            form.fields["ORDER"].label = "Ordning"
            form.fields["ORDER"].widget.attrs.update({"min": 1, "max": 999})
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Ta bort"

    def save_ordered(self) -> None:
        """Save additions, changes, deletions and the order typed in the ORDER fields."""
        for form in self.deleted_forms:
            if form.instance.pk:
                form.instance.delete()
        position = 0
        for form in self.ordered_forms if self.ordered else self.forms:
            if form in self.deleted_forms or (form.instance.pk is None and not form.has_changed()):
                continue
            position += 1
            moved = getattr(form.instance, "position", position) != position
            if form.has_changed() or moved:
                obj = form.save(commit=False)
                if hasattr(obj, "position"):
                    obj.position = position
                obj.save()
                form.save_m2m()


# Rows per section of one § (att-satser, yrkanden, …): far more than any § has, and the most forms
# one request may build per section.
MAX_SECTION_ROWS = 200


def _section_formset(model: type, form: type, people_fields: dict[str, str], ordered: bool, extra: int = 1):
    base = type(
        f"{model.__name__}FormSetBase",
        (BasePeopleFormSet,),
        {"people_fields": people_fields, "ordered": ordered},
    )
    return inlineformset_factory(
        m.Paragraph,
        model,
        form=form,
        formset=base,
        extra=extra,
        can_delete=True,
        can_order=ordered,
        max_num=MAX_SECTION_ROWS,
        absolute_max=MAX_SECTION_ROWS,
        validate_max=True,
    )


ClauseFormSet = _section_formset(m.DecisionClause, ClauseForm, {}, ordered=True, extra=2)
PropositionFormSet = _section_formset(m.Proposition, PropositionForm, {}, ordered=True)
# The groups of people are those of Meeting.people_at.
MotionFormSet = _section_formset(m.Motion, MotionForm, {"person": "voters"}, ordered=True)
ReservationFormSet = _section_formset(m.Reservation, ReservationForm, {"persons": "voters"}, ordered=False)
NoteFormSet = _section_formset(m.ProtocolNote, NoteForm, {"person": "present"}, ordered=False)
RecusalFormSet = _section_formset(
    m.Recusal, RecusalForm, {"person": "serving", "substitute": "deputies"}, ordered=False
)

# key: (heading, what one row is called, formset)
SECTION_FORMSETS = {
    "clauses": ("Beslut: att-satser", "Att-sats", ClauseFormSet),
    "motions": ("Yrkanden", "Yrkande", MotionFormSet),
    "propositions": ("Propositionsordning", "Proposition", PropositionFormSet),
    "reservations": ("Reservationer", "Reservation", ReservationFormSet),
    "notes": ("Protokollsanteckningar och särskilda yttranden", "Anteckning", NoteFormSet),
    "recusals": ("Jäv", "Jäv", RecusalFormSet),
}


# ---------------------------------------------------------------------------------------------------
# Roll-call vote
# ---------------------------------------------------------------------------------------------------


class VoteForm(forms.ModelForm):
    """An omröstning: one choice per member in the roll-call grid, and what Ja and Nej mean unless the
    vote is held on a proposition (which names them). ``rest`` gives everyone not marked the same
    choice ("Resten Ja"), as a chair does in a roll call of fifty."""

    version = version_field()
    rest = forms.ChoiceField(
        label="Övriga röstar",
        choices=[("", "—"), *m.VoteChoice.choices],
        required=False,
        help_text="Ges alla som inte har markerats ovan, t.ex. ”Ja” när resten röstar ja.",
    )

    class Meta:
        model = m.Vote
        fields = ["ja_means", "nej_means"]

    def __init__(self, *args, voters: list[m.Attendance], casts: dict[int, str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.voters = voters
        if self.instance.proposition_id:
            del self.fields["ja_means"], self.fields["nej_means"]
        for a in voters:
            self.fields[self.cast_field(a.person_id)] = forms.ChoiceField(
                label=person_label(a),
                choices=m.VoteChoice.choices,
                required=False,
                widget=forms.RadioSelect,
                initial=casts.get(a.person_id),
            )

    @staticmethod
    def cast_field(person_id: int) -> str:
        return f"cast_{person_id}"

    def rows(self) -> list[tuple[m.Attendance, forms.BoundField]]:
        return [(a, self[self.cast_field(a.person_id)]) for a in self.voters]

    def choices_by_person(self) -> dict[int, str]:
        rest = self.cleaned_data.get("rest")
        chosen = {}
        for a in self.voters:
            value = self.cleaned_data.get(self.cast_field(a.person_id)) or rest
            if value:
                chosen[a.person_id] = value
        return chosen

    def clean(self) -> dict:
        data = super().clean()
        if not self.errors and not self.choices_by_person():
            raise ValidationError("Ange hur minst en ledamot röstade.")
        return data
