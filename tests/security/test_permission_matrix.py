"""Every URL pattern × every role × a meeting in every state, by GET: the answer each cell must get.

The patterns come from the URL configuration itself (``get_resolver``), so a new URL without a row in
EXPECTED fails ``test_every_url_pattern_has_an_expectation``. One world is built for the whole
matrix (one test), and a mismatch is reported with its cell, so one run shows every cell that is wrong.

Roles: anonymous; alice, secretary of KSAU; dave, secretary of another organ (KS); bob, KSAU's chair;
jane, justerare of every meeting; charlie, logged in with no role; admin, a superuser.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from meetings import models as m
from meetings.services import anslag as anslag_service
from meetings.services import justering as justering_service
from tests import factories as f
from tests.helpers import bilaga, handling, make_anslag, sign_all

S = m.MeetingStatus
ANON, SECRETARY, OTHER_SECRETARY, CHAIR, JUSTERARE, OUTSIDER, ADMIN = (
    "anonymous",
    "secretary",
    "other_secretary",
    "chair",
    "justerare",
    "outsider",
    "admin",
)
ROLES = (ANON, SECRETARY, OTHER_SECRETARY, CHAIR, JUSTERARE, OUTSIDER, ADMIN)
STATES = tuple(S)
EDITABLE = m.EDITABLE_STATUSES
LOGIN = "login"  # 302 to the login page
ADMIN_LOGIN = "admin-login"  # 302 to the admin's login page
REDIRECT = "redirect"  # 302 somewhere else
# The meeting's own people: they read every state; the secretary (and admin) may also edit.
READERS = (SECRETARY, CHAIR, JUSTERARE, ADMIN)
EDITORS = (SECRETARY, ADMIN)
STRANGERS = (OTHER_SECRETARY, OUTSIDER)
PUBLISHED = (S.ANSLAGET, S.ARKIVERAT)
# A justering round exists from "under justering" on; a signer may act on it only while it is open.
WITH_ROUND = (S.UNDER_JUSTERING, S.ATERSANT, S.JUSTERAT, S.ANSLAGET, S.ARKIVERAT)

Expected = int | str | frozenset


@dataclass(frozen=True)
class Row:
    """What ``pk`` names in the URL (``meeting``, ``justering``, ``anslag``, ``paper``, ``file``,
    ``organ`` or None), whether the answer depends on the meeting's state, and the rule."""

    pk: str | None
    rule: Callable[[str, str | None], Expected]
    by_state: bool = True


def logged_in(answer: Callable[[str, str | None], Expected]) -> Callable[[str, str | None], Expected]:
    return lambda role, state: LOGIN if role == ANON else answer(role, state)


def post_only(role: str, state: str | None) -> Expected:
    return LOGIN if role == ANON else 405


def read_meeting(role: str, state: str | None) -> Expected:
    """A page any of the meeting's own people may read, in every state; 404 for everyone else."""
    return 200 if role in READERS else 404


def edit_draft(role: str, state: str | None) -> Expected:
    """A drafting page: the secretary in a draft; 403 for those who may only read or once it is
    sent; 404 for strangers."""
    if role in STRANGERS:
        return 404
    if role not in EDITORS:
        return 403
    return 200 if state in EDITABLE else 403


def public_published(role: str, state: str | None) -> Expected:
    """Published: posted, and after the anslag is taken down still in the public archive."""
    return 200 if state in PUBLISHED else 404


def registry_keeper(role: str, state: str | None) -> Expected:
    """The register and the ärenden: secretaries of any organ and administrators."""
    return 200 if role in (SECRETARY, OTHER_SECRETARY, ADMIN) else 404


def own_organ_register(role: str, state: str | None) -> Expected:
    return 200 if role in EDITORS else 404


def justering_page(role: str, state: str | None) -> Expected:
    if state not in WITH_ROUND:
        return 404
    return 200 if role in READERS else 404


def correction_page(role: str, state: str | None) -> Expected:
    return 200 if role in EDITORS and state in (S.JUSTERAT, S.ANSLAGET, S.ARKIVERAT) else 404


def anslag_post_page(role: str, state: str | None) -> Expected:
    """Posting the anslag of a justerat round: its secretary; an open or returned round is no round
    to post."""
    if state not in (S.JUSTERAT, *PUBLISHED) or role not in EDITORS:
        return 404
    return 200 if state == S.JUSTERAT else REDIRECT


def secretary_only(role: str, state: str | None) -> Expected:
    """A page of the secretary's alone; 404 even for the meeting's other people."""
    return 200 if role in EDITORS else 404


def secretary_tool(role: str, state: str | None) -> Expected:
    """A secretary's page in any state: those who may only read the meeting get 403."""
    if role in STRANGERS:
        return 404
    return 200 if role in EDITORS else 403


def secretary_or_reader(reader: Expected) -> Callable[[str, str | None], Expected]:
    """The secretary's page; the meeting's other people are sent to their own (``reader``)."""
    return lambda role, state: 404 if role in STRANGERS else (200 if role in EDITORS else reader)


def may_create_meetings(role: str, state: str | None) -> Expected:
    return 200 if role in (SECRETARY, OTHER_SECRETARY, ADMIN) else 403


def everyone(answer: Expected) -> Callable[[str, str | None], Expected]:
    return lambda role, state: answer


E, P = edit_draft, post_only
EXPECTED: dict[str, Row] = {
    # Accounts
    "admin/login/": Row(None, lambda role, state: REDIRECT if role == ADMIN else 200, by_state=False),
    "login": Row(None, everyone(200), by_state=False),
    "logout": Row(None, everyone(405), by_state=False),
    "oidc_authentication_init": Row(None, everyone(404), by_state=False),
    "oidc_authentication_callback": Row(None, everyone(404), by_state=False),
    "eid_unknown": Row(None, everyone(LOGIN), by_state=False),
    # Drafting
    "dashboard": Row(None, logged_in(everyone(200)), by_state=False),
    "meeting_create": Row(None, logged_in(may_create_meetings), by_state=False),
    "meeting_detail": Row("meeting", logged_in(read_meeting)),
    "meeting_edit": Row("meeting", logged_in(E)),
    "attendance": Row("meeting", logged_in(E)),
    "preview": Row("meeting", logged_in(read_meeting)),
    "paragraph_list": Row("meeting", logged_in(E)),
    "paragraph_create": Row("meeting", logged_in(E)),
    "paragraph_renumber": Row("meeting", P),
    "paragraph_edit": Row("meeting", logged_in(E)),
    "paragraph_move": Row("meeting", P),
    "paragraph_movement": Row("meeting", P),
    "paragraph_delete": Row("meeting", logged_in(E)),
    "vote_create": Row("meeting", logged_in(E)),
    "vote_edit": Row("meeting", logged_in(E)),
    "vote_delete": Row("meeting", P),
    "paragraph_attachments": Row("meeting", logged_in(secretary_tool)),
    # Kallelse
    "kallelse": Row("meeting", logged_in(secretary_or_reader(REDIRECT))),
    "agenda_item_edit": Row("meeting", logged_in(E)),
    "agenda_item_move": Row("meeting", P),
    "kallelse_pdf": Row("meeting", logged_in(read_meeting)),
    "meeting_kallelse": Row("meeting", logged_in(read_meeting)),
    # Register and ärenden
    "register_home": Row(None, logged_in(registry_keeper), by_state=False),
    "organ_register": Row("organ", logged_in(own_organ_register), by_state=False),
    "membership_create": Row("organ", logged_in(own_organ_register), by_state=False),
    "membership_edit": Row("organ", logged_in(own_organ_register), by_state=False),
    "register_import": Row("organ", logged_in(own_organ_register), by_state=False),
    "person_list": Row(None, logged_in(registry_keeper), by_state=False),
    "person_create": Row(None, logged_in(registry_keeper), by_state=False),
    "person_edit": Row(None, logged_in(own_organ_register), by_state=False),
    "paper_list": Row(None, logged_in(registry_keeper), by_state=False),
    "paper_create": Row(None, logged_in(registry_keeper), by_state=False),
    "paper_detail": Row("paper", logged_in(own_organ_register), by_state=False),
    "paper_delete": Row("paper", P, by_state=False),
    "file_download": Row("file", logged_in(read_meeting)),
    "file_edit": Row("file", P),
    "file_delete": Row("file", P),
    # PDFs
    "protokoll_pdf": Row("meeting", logged_in(read_meeting)),
    "protokollsutdrag_pdf": Row("meeting", logged_in(lambda role, state: REDIRECT if role in READERS else 404)),
    # Justering
    "send_to_justering": Row("meeting", P),
    "send_immediate_justering": Row("meeting", P),
    "att_justera": Row(None, logged_in(everyone(200)), by_state=False),
    "justering_detail": Row("justering", logged_in(justering_page)),
    "justering_sign": Row("justering", P),
    "justering_send_back": Row("justering", P),
    # After justering
    "anslag_pending": Row(None, logged_in(everyone(200)), by_state=False),
    "anslag_post": Row("justering", logged_in(anslag_post_page)),
    "correction": Row("meeting", logged_in(correction_page)),
    "meeting_history": Row("meeting", logged_in(secretary_only)),
    "expediering": Row("meeting", logged_in(secretary_tool)),
    # The public anslagstavla
    "public_board": Row(None, everyone(200), by_state=False),
    "public_anslag": Row("anslag", public_published),
    "public_anslag_pdf": Row("anslag", public_published),
    "public_notice": Row("meeting", everyone(404)),
    "public_file": Row("file", public_published),
    "public_archive": Row(None, everyone(200), by_state=False),
    "public_search": Row(None, everyone(200), by_state=False),
    "public_feed": Row(None, everyone(200), by_state=False),
    "verify": Row(None, everyone(200), by_state=False),
    # Password reset (Django's views): the same answer for everyone; a wrong link is a page that says so.
    "password_reset": Row(None, everyone(200), by_state=False),
    "password_reset_done": Row(None, everyone(200), by_state=False),
    "password_reset_confirm": Row(None, everyone(200), by_state=False),
    "password_reset_complete": Row(None, everyone(200), by_state=False),
    # The open-data API (OParl 1.1): public, the same for every role; what is not published is a 404.
    "oparl_system": Row(None, everyone(200), by_state=False),
    "oparl_body_list": Row(None, everyone(200), by_state=False),
    "oparl_body": Row("body", everyone(200), by_state=False),
    "oparl_organization_list": Row(None, everyone(200), by_state=False),
    "oparl_person_list": Row(None, everyone(200), by_state=False),
    "oparl_membership_list": Row(None, everyone(200), by_state=False),
    "oparl_meeting_list": Row(None, everyone(200), by_state=False),
    "oparl_agenda_item_list": Row(None, everyone(200), by_state=False),
    "oparl_paper_list": Row(None, everyone(200), by_state=False),
    "oparl_file_list": Row(None, everyone(200), by_state=False),
    "oparl_organization": Row("organ", everyone(200), by_state=False),
    "oparl_organization_meetings": Row("organ", everyone(200), by_state=False),
    "oparl_party": Row(None, everyone(404), by_state=False),
    "oparl_person": Row("person_pk", everyone(200), by_state=False),
    "oparl_membership": Row("membership_pk", everyone(200), by_state=False),
    "oparl_meeting": Row("meeting", public_published),
    "oparl_location": Row(None, everyone(404), by_state=False),
    "oparl_protocol": Row("anslag", public_published),
    "oparl_agenda_item": Row(None, everyone(404), by_state=False),
    "oparl_paper": Row("paper", everyone(404), by_state=False),  # on no published agenda
    "oparl_consultation": Row(None, everyone(404), by_state=False),
    "oparl_file": Row("file", public_published),
    "api/oparl/1.1/^(?P<rest>.*)$": Row(None, everyone(404), by_state=False),
}


def _walk(resolver: URLResolver, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, URLPattern, str]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}".strip(":") if entry.namespace else namespace
            yield from _walk(entry, prefix + str(entry.pattern), inner)
        else:
            name = f"{namespace}:{entry.name or prefix + str(entry.pattern)}".strip(":")
            yield name, entry, prefix + str(entry.pattern)


def url_patterns() -> list[tuple[str, URLPattern, str]]:
    return list(_walk(get_resolver()))


def test_every_url_pattern_has_an_expectation():
    names = [name for name, _pattern, _route in url_patterns() if not name.startswith("admin:")]
    missing = [name for name in names if name not in EXPECTED]
    assert not missing, f"URL patterns without a row in EXPECTED: {missing}"
    stale = set(EXPECTED) - set(names)
    assert not stale, f"Rows in EXPECTED for no URL pattern: {sorted(stale)}"


# ---------------------------------------------------------------------------------------------------
# The world
# ---------------------------------------------------------------------------------------------------


@dataclass
class World:
    users: dict[str, object]
    meetings: dict[str, m.Meeting]
    objects: dict[str, dict[str, int]]  # state → kwarg → id
    fixed: dict[str, int]


def _meeting(organ, alice, bob, jane, joe, state: str, day: dt.date) -> dict[str, int]:
    meeting = f.meeting(organ, date=day, chair=bob.person, justerare_1=jane, justerare_2=joe)
    for person in (bob.person, jane, joe):
        f.attend(meeting, person)
    paragraph = f.paragraph(meeting, title="Budget")
    m.DecisionClause.objects.create(paragraph=paragraph, text="att anta budgeten")
    f.paragraph(meeting, title="Taxor")
    vote = m.Vote.objects.create(paragraph=paragraph, ja_means="bifall", nej_means="avslag")
    m.VoteCast.objects.create(vote=vote, person=bob.person, choice=m.VoteChoice.JA)
    item = m.AgendaItem.objects.create(meeting=meeting, position=1, name="Budget")
    file = bilaga(paragraph)
    ids = {"meeting": meeting.pk, "paragraph_pk": paragraph.pk, "vote_pk": vote.pk, "item_pk": item.pk}
    ids["file"] = file.pk
    if state == S.UTKAST:
        return ids
    justering = justering_service.send_to_justering(meeting, alice)
    ids["justering"] = justering.pk
    if state == S.UNDER_JUSTERING:
        return ids
    if state == S.ATERSANT:
        justering_service.send_back(justering, jane, "Rätta § 1.")
        return ids
    sign_all(justering)
    justering.refresh_from_db()
    if state == S.JUSTERAT:
        return ids
    today = timezone.localdate()
    posted_on = today if state == S.ANSLAGET else today - dt.timedelta(days=60)
    anslag = make_anslag(justering, alice, posted_on)
    ids["anslag"] = anslag.pk
    if state == S.ARKIVERAT:
        anslag_service.archive_expired(today)
    return ids


@pytest.fixture
def world(db) -> World:
    organ = f.organ()
    other = f.organ("KS", name="Kommunstyrelsen")
    alice = f.user("alice")
    organ.secretaries.add(alice)
    f.person("Alice Sekreterare", user=alice)
    dave = f.user("dave")
    other.secretaries.add(dave)
    bob = f.user("bob")
    bob_person = f.member(organ, "Bob Ordförande", "M", m.MembershipRole.ORDFORANDE)
    bob_person.user = bob
    bob_person.save()
    jane = f.member(organ, "Jane Justerare", "S")
    jane.user = f.user("jane")
    jane.save()
    joe = f.member(organ, "Joe Justerare", "KD")
    charlie = f.user("charlie")
    f.person("Charlie Utomstående", user=charlie)
    admin = f.user("admin", is_superuser=True, is_staff=True)
    objects = {}
    for offset, state in enumerate(STATES):
        day = timezone.localdate() - dt.timedelta(days=90 - offset) if state != S.UTKAST else timezone.localdate()
        objects[state] = _meeting(organ, alice, bob, jane, joe, state, day)
    meetings = {state: m.Meeting.objects.get(pk=ids["meeting"]) for state, ids in objects.items()}
    assert {state: meeting.status for state, meeting in meetings.items()} == {s: s for s in STATES}
    paper = f.paper(organ, "Ärende")
    fixed = {
        "organ": organ.pk,
        "paper": paper.pk,
        "paper_file": handling(paper).pk,
        "membership_pk": m.Membership.objects.filter(organ=organ).first().pk,
        "person_pk": jane.pk,
        "body": 1,
        "uidb64": "MQ",
        "token": "ogiltig-lank",
        "rest": "finns-inte",
    }
    users = {
        SECRETARY: alice,
        OTHER_SECRETARY: dave,
        CHAIR: bob,
        JUSTERARE: jane.user,
        OUTSIDER: charlie,
        ADMIN: admin,
    }
    return World(users, meetings, objects, fixed)


# ---------------------------------------------------------------------------------------------------
# The matrix
# ---------------------------------------------------------------------------------------------------

# Admin URLs: Django's own views behind its own staff check; kwargs that name no object of ours.
ADMIN_KWARGS = {"app_label": "meetings", "object_id": "1", "content_type_id": "1", "url": "finns-inte/"}


def _outcome(response) -> Expected:
    if response.status_code != 302:
        return response.status_code
    location = response["Location"]
    if location.startswith(reverse("login")):
        return LOGIN
    if location.startswith("/admin/login/"):
        return ADMIN_LOGIN
    return REDIRECT


def _path(name: str, pattern: URLPattern, route: str, kwargs: dict) -> str:
    if pattern.name is None:
        route = route.replace("(?P<url>.*)$", kwargs.get("url", "")).replace("^", "")
        return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda match: str(kwargs[match.group(1)]), route)
    groups = pattern.pattern.regex.groups
    if groups and not kwargs:  # positional groups (django-simple-history's admin)
        return reverse(name, args=["1"] * groups)
    return reverse(name, kwargs=kwargs)


def _kwargs(row: Row | None, pattern: URLPattern, ids: dict[str, int], fixed: dict[str, int]) -> dict:
    """The URL's kwargs from the world: ``pk`` as the row says, the other names as they read."""
    wanted = pattern.pattern.regex.groupindex
    source = {**fixed, **ids}
    kwargs = {}
    for key in wanted:
        if row is None:
            kwargs[key] = ADMIN_KWARGS.get(key, "1")
        elif key == "pk":
            # An object a state does not have yet (the anslag of a draft): an id of nothing.
            kwargs[key] = source.get(row.pk, 999999)
        else:
            kwargs[key] = source[key]
    return kwargs


def admin_rule(name: str) -> Callable[[str, str | None], Expected]:
    """Django's admin: only staff get past its login; what a superuser gets is Django's business."""
    if name == "admin:login":
        return lambda role, state: REDIRECT if role == ADMIN else 200
    if name == "admin:logout":
        return lambda role, state: 405 if role == ADMIN else REDIRECT
    return lambda role, state: frozenset({200, REDIRECT, 403, 404}) if role == ADMIN else ADMIN_LOGIN


def cells(world: World) -> Iterator[tuple[str, str | None, str, str, Expected]]:
    """(name, state, role, path, expected) of every cell."""
    for name, pattern, route in url_patterns():
        row = None if name.startswith("admin:") else EXPECTED[name]
        rule = admin_rule(name) if row is None else row.rule
        states = STATES if row is not None and row.by_state else (S.UTKAST,)
        for state in states:
            path = _path(name, pattern, route, _kwargs(row, pattern, world.objects[state], world.fixed))
            for role in ROLES:
                yield name, (state if row is None or row.by_state else None), role, path, rule(role, state)


def test_every_cell_answers_as_expected(world, settings):
    clients = {ANON: Client()}
    for role, user in world.users.items():
        clients[role] = Client()
        clients[role].force_login(user)
    wrong, count, spent = [], 0, {}
    for name, state, role, path, expected in cells(world):
        started = time.perf_counter()
        got = _outcome(clients[role].get(path))
        spent[name] = spent.get(name, 0) + time.perf_counter() - started
        count += 1
        ok = got in expected if isinstance(expected, frozenset) else got == expected
        if not ok:
            wrong.append(f"{name} [{state}] as {role}: got {got}, expected {expected} ({path})")
    if os.environ.get("MATRIX_OBSERVE"):
        for name, seconds in sorted(spent.items(), key=lambda item: -item[1])[:25]:
            print(f"{seconds:7.2f} s {name}")
    assert not wrong, f"{len(wrong)} of {count} cells differ:\n" + "\n".join(wrong)
    assert count > 1000
