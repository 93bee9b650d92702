"""Roll-call votes (omröstningar) of a §: the grid of voters and their choices."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from meetings import models as m
from meetings.services import decision, drafting

from .. import forms
from .common import conflict, get_paragraph_for_editing


def _proposition(request: HttpRequest, paragraph: m.Paragraph) -> m.Proposition | None:
    """The proposition a new vote is held on (``?proposition=`` or the posted field), if any; one of
    this §'s own, or 404."""
    raw = request.POST.get("proposition") or request.GET.get("proposition") or ""
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit() and len(raw) < 19):
        raise Http404("Propositionen finns inte.")
    return get_object_or_404(paragraph.propositions.all(), pk=int(raw))


@login_required
def vote_edit(request: HttpRequest, pk: int, paragraph_pk: int, vote_pk: int | None = None) -> HttpResponse:
    meeting, paragraph = get_paragraph_for_editing(request, pk, paragraph_pk)
    # vote_create passes no vote_pk; 0 is an id like any other (and not found).
    if vote_pk is None:
        proposition = _proposition(request, paragraph)
        held = proposition.roll_call if proposition is not None else None
        if held is not None:
            return redirect("vote_edit", pk=meeting.pk, paragraph_pk=paragraph.pk, vote_pk=held.pk)
        vote = m.Vote(paragraph=paragraph, proposition=proposition)
    else:
        vote = get_object_or_404(paragraph.votes.select_related("proposition"), pk=vote_pk)
    existing = {c.person_id: c for c in vote.casts.all()} if vote.pk else {}
    voters = meeting.voters_for(paragraph)
    form = forms.VoteForm(
        request.POST or None,
        instance=vote,
        voters=voters,
        casts={pid: c.choice for pid, c in existing.items()},
        initial={"version": paragraph.version},
    )
    voter_ids = {a.person_id for a in voters}
    not_entitled = [c for pid, c in existing.items() if pid not in voter_ids]
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            drafting.save_vote(
                paragraph,
                form.cleaned_data["version"],
                vote,
                voters=voters,
                chosen=form.choices_by_person(),
                existing=existing,
            )
        except drafting.StaleVersion:
            conflict(request, f"§ {paragraph.number}")
            status = 409
        else:
            vote = m.Vote.objects.prefetch_related("casts").get(pk=vote.pk)
            messages.success(request, f"Omröstningen är sparad. {vote.result_text}")
            return redirect("paragraph_edit", pk=meeting.pk, paragraph_pk=paragraph.pk)
    tally = {choice: 0 for choice in m.VoteChoice.values}
    for _attendance, field in form.rows():
        value = field.value()
        if value in tally:
            tally[value] += 1
    return render(
        request,
        "drafting/vote_form.html",
        {
            "meeting": meeting,
            "paragraph": paragraph,
            "vote": vote,
            "form": form,
            "tally": [(value, label, tally[value]) for value, label in m.VoteChoice.choices],
            "not_entitled": not_entitled,
            "means": decision.vote_means(vote.proposition) if vote.proposition_id else None,
            "outcome": vote.outcome if vote.pk else None,
        },
        status=status,
    )


@login_required
@require_POST
def vote_delete(request: HttpRequest, pk: int, paragraph_pk: int, vote_pk: int) -> HttpResponse:
    meeting, paragraph = get_paragraph_for_editing(request, pk, paragraph_pk)
    vote = get_object_or_404(paragraph.votes.all(), pk=vote_pk)
    form = forms.VersionForm(request.POST)
    try:
        if not form.is_valid():
            raise drafting.StaleVersion
        drafting.delete_vote(paragraph, form.cleaned_data["version"], vote)
    except drafting.StaleVersion:
        conflict(request, f"§ {paragraph.number}")
        return redirect("vote_edit", pk=meeting.pk, paragraph_pk=paragraph.pk, vote_pk=vote.pk)
    messages.success(request, "Omröstningen är borttagen.")
    return redirect("paragraph_edit", pk=meeting.pk, paragraph_pk=paragraph.pk)
