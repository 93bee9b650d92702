"""Every form, posted by the user it is for, with generated values (Hypothesis): NUL characters, huge
and odd Unicode text, numbers where text belongs and text where numbers do, and tampered formset
management forms. No answer may be a 500, and a refused request must change no row.

Each case reads its form from the page the user sees (so a new field is fuzzed without a change
here), replaces a few of its values, and posts. A request counts as accepted when it redirects
without an error message; anything else is a refusal, and the fingerprint of the core app's tables
(every row of every model, history included) must be as before.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.contrib import messages
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meetings import models as m
from tests.helpers import client_for

# Rows a refusal may write on purpose: a wrong password is counted (the signing limiter).
REFUSAL_RECORDS = {m.PasswordFailure}

FUZZ = settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

ODD = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "0",
    "-1",
    "1.5",
    "abc",
    "99999999999999999999",
    "2026-02-30",
    "25:61",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "\u202e\u0301\U0001f600",
]
# Just over the limits the models set (varchar 50, 100, 200, 300, 500; 5000 and 20000 for texts) and
# a long Unicode text; drawn as lengths so that a failing example prints short.
LONG = st.sampled_from([51, 101, 201, 301, 501, 5001, 20001]).map(lambda n: "x" * n) | st.just(60000).map(
    lambda n: "ö" * n
)
VALUES = st.one_of(
    st.sampled_from(ODD),
    LONG,
    st.text(max_size=40),
    st.text(max_size=10).map(lambda text: f"{text}\x00{text}"),
    st.integers(min_value=-(2**64), max_value=2**64).map(str),
)
MANAGEMENT = st.sampled_from(["0", "-1", "1000000", "abc", "", "\x00", "2"])


class FormReader(HTMLParser):
    """The forms of a page: each one's fields as a browser would post them (no button pressed)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append({"method": a.get("method", "get").lower(), "action": a.get("action", ""), "data": {}})
            return
        if not self.forms:
            return
        data = self.forms[-1]["data"]
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("submit", "button", "image", "file", "reset"):
                self.forms[-1].setdefault("buttons", []).append((name, a.get("value", "")))
            elif kind in ("checkbox", "radio"):
                if "checked" in a:
                    data.setdefault(name, []).append(a.get("value", "on"))
            else:
                data.setdefault(name, []).append(a.get("value", ""))
        elif tag == "button" and name:
            self.forms[-1].setdefault("buttons", []).append((name, a.get("value", "")))
        elif tag == "select" and name:
            self._select = name
            self._options: list[str] = []
            self._chosen: list[str] = []
            self._multiple = "multiple" in a
        elif tag == "option" and self._select is not None:
            self._options.append(a.get("value", ""))
            if "selected" in a:
                self._chosen.append(a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            data.setdefault(name, []).append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select is not None:
            first = [] if self._multiple or not self._options else self._options[:1]
            self.forms[-1]["data"][self._select] = self._chosen or first
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, text: str) -> None:
        if self._textarea is not None:
            values = self.forms[-1]["data"][self._textarea]
            values[-1] += text


def page_form(client: Client, url: str, has: str) -> dict[str, list[str]]:
    """The POST form on ``url`` that has a field named ``has``, as a browser would post it."""
    response = client.get(url)
    assert response.status_code == 200, url
    reader = FormReader()
    reader.feed(response.content.decode())
    for form in reader.forms:
        if form["method"] == "post" and has in form["data"]:
            return {k: list(v) for k, v in form["data"].items()}
    raise AssertionError(f"No form with {has!r} on {url}")


def fingerprint() -> str:
    """Every row of every model of the core app (history included), as one hash."""
    digest = hashlib.sha256()
    for model in apps.get_app_config("meetings").get_models():
        if model in REFUSAL_RECORDS:
            continue
        rows = list(model.objects.order_by("pk").values_list())
        digest.update(f"{model._meta.label}:{len(rows)}:{rows!r}".encode())
    return digest.hexdigest()


def accepted(response) -> bool:
    """A redirect that reports no error."""
    if response.status_code != 302:
        return False
    added = getattr(response.wsgi_request._messages, "_queued_messages", [])
    return not any(message.level >= messages.ERROR for message in added)


@dataclass
class Case:
    """A form to fuzz: the page it is on, which form there, what it posts to, and extra fields
    (a button's name and value)."""

    page: str
    has: str
    post_to: str
    extra: dict[str, str]
    client: Client


def run(case: Case, data: dict[str, list[str]], changes: dict[str, str], management: dict[str, str]) -> None:
    data.update({k: [v] for k, v in case.extra.items()})
    for key, value in changes.items():
        data[key] = [value]
    for key, value in management.items():
        data[key] = [value]
    before = fingerprint()
    response = case.client.post(case.post_to, data)
    assert response.status_code < 500
    if not accepted(response):
        assert fingerprint() == before, f"a refused request ({response.status_code}) changed rows: {changes}"


# ---------------------------------------------------------------------------------------------------
# The forms
# ---------------------------------------------------------------------------------------------------


@pytest.fixture
def draft(ready):
    """The shared finished draft, with a yrkande so the § editor shows every section."""
    p = ready.paragraphs.get(title="Budget")
    m.Motion.objects.create(paragraph=p, person=ready.chair, kind=m.MotionKind.BIFALL, text="Bifall")
    return ready


def _budget(meeting: m.Meeting) -> int:
    return meeting.paragraphs.get(title="Budget").pk


def _same(page: str, has: str, user: str = "alice", **extra: str) -> Callable[[Callable], Case]:
    """A form that posts to the page it is on."""
    return lambda get: Case(page, has, page, extra, client_for(get(user)))


def _draft_page(name: str, has: str, *, paragraph: bool = False, **extra: str) -> Callable[[Callable], Case]:
    def build(get: Callable) -> Case:
        meeting = get("draft")
        args = [meeting.pk, _budget(meeting)] if paragraph else [meeting.pk]
        url = reverse(name, args=args)
        return Case(url, has, url, extra, client_for(get("alice")))

    return build


def _paragraph_movement(get: Callable) -> Case:
    meeting = get("draft")
    args = [meeting.pk, _budget(meeting)]
    page, post_to = reverse("paragraph_edit", args=args), reverse("paragraph_movement", args=args)
    return Case(page, "arrived", post_to, {}, client_for(get("alice")))


def _signer(name: str, has: str) -> Callable[[Callable], Case]:
    def build(get: Callable) -> Case:
        justering = get("justering")
        page, post_to = reverse("justering_detail", args=[justering.pk]), reverse(name, args=[justering.pk])
        return Case(page, has, post_to, {}, client_for(get("ready").justerare_1.user))

    return build


def _anslag_post(get: Callable) -> Case:
    url = reverse("anslag_post", args=[get("justerat").pk])
    return Case(url, "posted_on", url, {"action": "post"}, client_for(get("alice")))


def _correction(get: Callable) -> Case:
    meeting = get("justerat").meeting
    page = reverse("correction", args=[meeting.pk]) + f"?paragraph={_budget(meeting)}&field=title"
    return Case(page, "new_text", reverse("correction", args=[meeting.pk]), {}, client_for(get("alice")))


def _organ_page(name: str, has: str, **extra: str) -> Callable[[Callable], Case]:
    def build(get: Callable) -> Case:
        url = reverse(name, args=[get("organ").pk])
        return Case(url, has, url, extra, client_for(get("alice")))

    return build


FORMS: dict[str, Callable[[Callable], Case]] = {
    "meeting_create": lambda get: _same(reverse("meeting_create"), "place")(get),
    "meeting_edit": _draft_page("meeting_edit", "place"),
    "attendance": _draft_page("attendance", "att-TOTAL_FORMS", action="save"),
    "attendance_deputy": _draft_page("attendance", "deputy-deputy", action="add_deputy"),
    "attendance_guest": _draft_page("attendance", "guest-sections", action="add_guest"),
    "attendance_adjournment": _draft_page("attendance", "adjournment-starts", action="add_adjournment"),
    "paragraph_create": _draft_page("paragraph_create", "title"),
    "paragraph_edit": _draft_page("paragraph_edit", "clauses-TOTAL_FORMS", paragraph=True, action="save"),
    "paragraph_movement": _paragraph_movement,
    "vote": _draft_page("vote_create", "version", paragraph=True),
    "kallelse_free_item": _draft_page("kallelse", "free-name", action="add_free"),
    "sign": _signer("justering_sign", "content_hash"),
    "send_back": _signer("justering_send_back", "comment"),
    "anslag_post": _anslag_post,
    "correction": _correction,
    "person_create": lambda get: _same(reverse("person_create"), "name")(get),
    "paper_create": lambda get: _same(reverse("paper_create"), "name")(get),
    "membership_create": _organ_page("membership_create", "role"),
    "standing_items": _organ_page("organ_register", "standing-TOTAL_FORMS", action="standing"),
}


@pytest.mark.parametrize("form", FORMS)
@FUZZ
@given(data=st.data())
def test_a_form_never_fails_and_a_refusal_changes_nothing(db, request, form, data):
    case = FORMS[form](request.getfixturevalue)
    # Every example starts from the same rows (an accepted one is rolled back), so that Hypothesis
    # can replay and shrink it.
    with transaction.atomic():
        form_data = page_form(case.client, case.page, case.has)
        fields = sorted(form_data)
        counts = [k for k in fields if k.endswith(("TOTAL_FORMS", "INITIAL_FORMS"))]
        plain = [k for k in fields if k not in counts and k != "csrfmiddlewaretoken"] + ["action", "okänt_fält"]
        changes = data.draw(st.dictionaries(st.sampled_from(plain), VALUES, max_size=4), label="changes")
        management = {}
        if counts:
            management = data.draw(st.dictionaries(st.sampled_from(counts), MANAGEMENT, max_size=2), label="counts")
        run(case, form_data, changes, management)
        transaction.set_rollback(True)


# ---------------------------------------------------------------------------------------------------
# Searches and the public verification form (anyone)
# ---------------------------------------------------------------------------------------------------


@FUZZ
@given(query=VALUES, page=VALUES)
@pytest.mark.parametrize("name", ["public_search", "public_archive", "person_list", "paper_list"])
def test_searches(alice, posted, name, query, page):
    client = client_for(alice) if name in ("person_list", "paper_list") else Client()
    before = fingerprint()
    response = client.get(reverse(name), {"q": query, "sida": page, "organ": query, "ar": page})
    assert response.status_code == 200
    assert fingerprint() == before


@FUZZ
@given(digest=VALUES)
def test_verify(db, digest):
    before = fingerprint()
    response = Client().post(reverse("verify"), {"hash": digest})
    assert response.status_code in (200, 400)
    assert fingerprint() == before


def test_the_fuzz_covers_every_form_named_in_the_issue():
    named = ("meeting_edit", "attendance", "paragraph_edit", "vote", "anslag_post", "sign", "send_back", "correction")
    assert set(named) <= set(FORMS)
