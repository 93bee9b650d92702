"""The secretary's register, without the admin: an organ's members and ersättare (added by hand or
imported from a list, with a preview), its settings and standing agenda items, persons and parties.

Only secretaries of an organ (and administrators) reach these pages; for anyone else an organ or
a person they may not change is a 404.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from meetings import access
from meetings import models as m
from meetings.register_import import ImportFileError, check_rows, read_rows, rows_from_raw
from meetings.services import register
from meetings.services.base import WorkflowError

from .. import forms
from ..forms import model_fields

PERSONS_PER_PAGE = 50
# A preview's confirmation is valid for this long; the rows are checked again when it comes.
IMPORT_MAX_AGE = 60 * 60


def _require_register_keeper(user) -> None:
    if not access.keeps_register(user):
        raise Http404("Sidan finns inte.")


@login_required
def register_home(request: HttpRequest) -> HttpResponse:
    """The organs whose register the user keeps, and the parties."""
    _require_register_keeper(request.user)
    organs = list(access.editable_organs(request.user).order_by("name"))
    party_form = forms.PartyForm(request.POST or None, prefix="party")
    if request.method == "POST" and party_form.is_valid():
        party = party_form.save()
        messages.success(request, f"Partiet {party} är tillagt.")
        return redirect("register_home")
    return render(
        request,
        "register/home.html",
        {"organs": organs, "parties": list(m.Party.objects.order_by("name")), "party_form": party_form},
        status=400 if party_form.errors else 200,
    )


def _seats(organ: m.Organ, show_all: bool, today: datetime.date) -> list[m.Membership]:
    seats = organ.memberships.select_related("person", "party")
    if not show_all:
        seats = seats.valid_on(today)
    order = list(m.MembershipRole.values)
    return sorted(seats, key=lambda ms: (order.index(ms.role), ms.person.name, ms.start))


@login_required
def organ_register(request: HttpRequest, pk: int) -> HttpResponse:
    """One organ's register: its seats (today's, or all), its settings and standing agenda items."""
    organ = access.get_organ_for_editing(request.user, pk)
    action = request.POST.get("action") if request.method == "POST" else None
    settings_form = forms.OrganSettingsForm(request.POST if action == "settings" else None, instance=organ)
    initial = [{"name": s.name, "proposal": s.proposal} for s in register.standing_items_of(organ)]
    standing = forms.StandingItemFormSet(
        request.POST if action == "standing" else None, initial=initial, prefix="standing"
    )
    if action == "settings" and settings_form.is_valid():
        register.save_organ_settings(organ, model_fields(settings_form))
        messages.success(request, "Inställningarna är sparade.")
        return redirect("organ_register", pk=organ.pk)
    if action == "standing" and standing.is_valid():
        items = [
            (form.cleaned_data["name"].strip(), form.cleaned_data.get("proposal", "").strip())
            for form in standing.forms
            if form.cleaned_data.get("name", "").strip() and not form.cleaned_data.get("DELETE")
        ]
        register.save_standing_items(organ, items)
        messages.success(request, "De stående punkterna är sparade.")
        return redirect("organ_register", pk=organ.pk)
    show_all = request.GET.get("visa") == "alla"
    today = timezone.localdate()
    return render(
        request,
        "register/organ.html",
        {
            "organ": organ,
            "seats": _seats(organ, show_all, today),
            "show_all": show_all,
            "today": today,
            "settings_form": settings_form,
            "standing": standing,
        },
        status=400 if action and request.method == "POST" else 200,
    )


@login_required
def membership_create(request: HttpRequest, pk: int) -> HttpResponse:
    organ = access.get_organ_for_editing(request.user, pk)
    form = forms.MembershipForm(request.POST or None, instance=m.Membership(organ=organ))
    if request.method == "POST" and form.is_valid():
        membership = form.save(commit=False)
        data = form.cleaned_data
        if data.get("new_name"):
            membership.person = register.save_person(
                m.Person(name=data["new_name"], party=data.get("party"), email=data.get("new_email") or "")
            )
        register.save_membership(membership)
        messages.success(
            request, f"{membership.person.name} är {membership.get_role_display().lower()} i {organ.short_name}."
        )
        return redirect("organ_register", pk=organ.pk)
    return render(
        request, "register/membership_form.html", {"organ": organ, "form": form}, status=400 if form.errors else 200
    )


@login_required
def membership_edit(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    organ = access.get_organ_for_editing(request.user, pk)
    membership = organ.memberships.select_related("person").filter(pk=membership_pk).first()
    if membership is None:
        raise Http404("Uppdraget finns inte.")
    if request.method == "POST" and request.POST.get("action") == "delete":
        try:
            register.delete_membership(membership)
        except WorkflowError as error:
            messages.error(request, str(error))
            return redirect("membership_edit", pk=organ.pk, membership_pk=membership.pk)
        messages.success(request, f"Uppdraget för {membership.person.name} är borttaget.")
        return redirect("organ_register", pk=organ.pk)
    form = forms.MembershipForm(request.POST or None, instance=membership)
    if request.method == "POST" and form.is_valid():
        register.save_membership(form.save(commit=False))
        messages.success(request, f"Uppdraget för {membership.person.name} är sparat.")
        return redirect("organ_register", pk=organ.pk)
    return render(
        request,
        "register/membership_form.html",
        {"organ": organ, "form": form, "membership": membership},
        status=400 if form.errors else 200,
    )


# ---------------------------------------------------------------------------------------------------
# Import: file → preview → confirm
# ---------------------------------------------------------------------------------------------------


def _import_salt(organ: m.Organ, user) -> str:
    # The preview can only be confirmed for the organ and by the user it was made for.
    return f"register-import:{organ.pk}:{user.pk}"


@login_required
def register_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a list; see every row and what it would do, with errors; confirm to store."""
    organ = access.get_organ_for_editing(request.user, pk)
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "confirm":
        return _import_confirm(request, organ)
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    context: dict = {"organ": organ, "form": form}
    if action == "preview" and form.is_valid():
        start, end = form.cleaned_data["default_start"], form.cleaned_data["default_end"]
        try:
            rows = read_rows(form.cleaned_data["file"].read())
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            rows = check_rows(rows, organ, start, end)
            payload = {
                "rows": [row.raw() for row in rows],
                "start": start.isoformat() if start else None,
                "end": end.isoformat() if end else None,
            }
            signed = signing.dumps(payload, salt=_import_salt(organ, request.user), compress=True)
            context.update(
                {
                    "rows": rows,
                    "confirm_form": forms.ImportConfirmForm(initial={"payload": signed}),
                    "to_import": sum(1 for r in rows if r.ok and not r.exists),
                    "already": sum(1 for r in rows if r.ok and r.exists),
                    "with_errors": sum(1 for r in rows if not r.ok),
                    "new_persons": len({r.name for r in rows if r.ok and not r.exists and r.person_id is None}),
                }
            )
            return render(request, "register/import_preview.html", context)
    return render(request, "register/import.html", context, status=400 if form.errors else 200)


def _import_confirm(request: HttpRequest, organ: m.Organ) -> HttpResponse:
    form = forms.ImportConfirmForm(request.POST)
    try:
        if not form.is_valid():
            raise signing.BadSignature
        payload = signing.loads(
            form.cleaned_data["payload"], salt=_import_salt(organ, request.user), max_age=IMPORT_MAX_AGE
        )
        rows = payload["rows"]
        rows_from_raw(rows)  # the shape is ours (signed), but refuse anything else plainly
        start = datetime.date.fromisoformat(payload["start"]) if payload["start"] else None
        end = datetime.date.fromisoformat(payload["end"]) if payload["end"] else None
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        messages.error(request, "Förhandsgranskningen har gått ut eller är ogiltig. Ladda upp filen igen.")
        return redirect("register_import", pk=organ.pk)
    result = register.import_members(organ, rows, start, end)
    parts = [f"{result.memberships_created} uppdrag är inlagda ({result.persons_created} nya personer)."]
    if result.already_there:
        parts.append(f"{result.already_there} fanns redan.")
    if result.with_errors:
        parts.append(f"{result.with_errors} rader med fel lades inte in.")
    messages.success(request, " ".join(parts))
    return redirect("organ_register", pk=organ.pk)


# ---------------------------------------------------------------------------------------------------
# Persons
# ---------------------------------------------------------------------------------------------------


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    _require_register_keeper(request.user)
    search = forms.SearchForm(request.GET)
    query = search.query()
    if search.errors:
        messages.error(request, forms.form_errors(search))
    persons = m.Person.objects.select_related("party").order_by("name", "pk")
    if query:
        persons = persons.filter(
            Q(name__icontains=query) | Q(title__icontains=query) | Q(organisation__icontains=query)
        )
    page = Paginator(persons, PERSONS_PER_PAGE).get_page(request.GET.get("sida"))
    editable = set(
        access.editable_persons(request.user).filter(pk__in=[p.pk for p in page]).values_list("pk", flat=True)
    )
    return render(request, "register/person_list.html", {"page": page, "query": query, "editable": editable})


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    _require_register_keeper(request.user)
    form = forms.PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = register.save_person(form.save(commit=False))
        messages.success(request, f"{person.name} är tillagd i registret.")
        return redirect("person_list")
    return render(request, "register/person_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def person_edit(request: HttpRequest, person_pk: int) -> HttpResponse:
    person = access.editable_persons(request.user).filter(pk=person_pk).first()
    if person is None:
        raise Http404("Personen finns inte.")
    form = forms.PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        register.save_person(form.save(commit=False), model_fields(form))
        messages.success(request, f"{person.name} är sparad.")
        return redirect("person_list")
    seats = person.memberships.select_related("organ", "party").order_by("-start")
    return render(
        request,
        "register/person_form.html",
        {"form": form, "person": person, "seats": list(seats)},
        status=400 if form.errors else 200,
    )
