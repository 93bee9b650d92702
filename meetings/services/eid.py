"""E-legitimation: logging a registered person in (their user account is made on the first login),
and the SigningRequest that carries a signer to the identity provider and back, and how it ends
(signed, or refused with the reason).

``accounts.stepup`` speaks the protocol and checks the provider's answer; this module keeps the
state: a request is opened for one signer, one justering and the content the signer saw, and is
claimed exactly once, atomically in the database, so that a replayed answer (the same ``state``
again, on any app server) finds it used.
"""

from __future__ import annotations

import datetime
import re
import secrets
from typing import NoReturn

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from .. import models as m
from . import justering as justering_service
from .base import WorkflowError

# The alphabet of secrets.token_urlsafe, which makes every state.
STATE_PATTERN = re.compile(r"[A-Za-z0-9_-]+")
# How long the signer may stay at the identity provider before the request lapses.
REQUEST_LIFETIME = datetime.timedelta(minutes=15)


def log_in(identity: m.Identity, name: str, email: str):
    """The user account of the person the administrator registered ``identity`` for, made now if the
    person has none, with the name and e-mail address the provider gave (the person's own name, as
    protokoll print it, stays the administrator's)."""
    with transaction.atomic():
        # Two first logins at once (two tabs, two app servers) must not make two accounts.
        person = m.Person.objects.select_for_update().get(pk=identity.person_id)
        user = person.user
        if user is None:
            user = _account_for(identity, person)
            person.user = user
            person.save(update_fields=["user"])
        changed = {"first_name": name[:150], "email": email}
        changed = {k: v for k, v in changed.items() if v and getattr(user, k) != v}
        if changed:
            for field, value in changed.items():
                setattr(user, field, value)
            user.save(update_fields=list(changed))
        m.Identity.objects.filter(pk=identity.pk).update(last_login_at=timezone.now())
    return user


def _account_for(identity: m.Identity, person: m.Person):
    """The account to link to a person who has none: the one an earlier e-legitimation login made for
    this identity, if an administrator unlinked it and it belongs to nobody else; otherwise a new one."""
    users = get_user_model().objects
    username = f"eid-{identity.subject_hash[:20]}"
    earlier = users.filter(username=username, person__isnull=True).first()
    if earlier is not None:
        return earlier
    if users.filter(username=username).exists():
        username = f"{username}-{person.pk}"
    return users.create_user(username=username)


class SigningRefused(WorkflowError):
    """The provider's answer cannot carry a signature; the message says why, in Swedish."""


def open_request(justering: m.Justering, person: m.Person, user, seen: str) -> m.SigningRequest:
    """A new request for ``person`` to sign ``justering`` having seen the content hash ``seen``.

    Refused at once when there is nothing to sign, so that nobody is sent to log in for nothing;
    ``justering.sign`` checks everything again under its lock when the answer comes back.
    """
    if justering.status != m.JusteringStatus.PAGAR:
        raise WorkflowError("Justeringen är inte längre öppen för underskrift.")
    mine = justering.signatures.filter(person=person, status__in=m.LIVE_SIGNATURE_STATUSES).first()
    if mine is None:
        raise WorkflowError("Du är inte utsedd att justera det här protokollet.")
    if mine.status == m.SignatureStatus.SIGNERAT:
        raise WorkflowError("Du har redan signerat.")
    if not m.Identity.objects.filter(person=person).exists():
        raise WorkflowError(
            "Ditt konto är inte kopplat till någon e-legitimation, så du kan inte signera ännu. "
            "Be administratören att registrera din e-legitimation."
        )
    return m.SigningRequest.objects.create(
        state=secrets.token_urlsafe(32),
        nonce=secrets.token_urlsafe(32),
        code_verifier=secrets.token_urlsafe(64),
        user=user,
        justering=justering,
        person=person,
        content_hash=seen,
    )


def find_request(state: str) -> m.SigningRequest | None:
    """The signing request with this ``state``, used or not; None when the state is not one of ours."""
    # Ours are token_urlsafe; anything else (a NUL byte, which PostgreSQL refuses in a query) is not.
    if not state or len(state) > 64 or not STATE_PATTERN.fullmatch(state):
        return None
    return m.SigningRequest.objects.select_related("justering", "person").filter(state=state).first()


def claim(request: m.SigningRequest, user) -> m.SigningRequest:
    """Take the request for this one answer of the provider; refused if it was used, lapsed or
    belongs to another user. The claim is one conditional UPDATE, so two answers with the same state
    (a replay, or a double submit) cannot both get through, whichever app server they reach."""
    now = timezone.now()
    taken = m.SigningRequest.objects.filter(pk=request.pk, finished_at__isnull=True).update(finished_at=now)
    if not taken:
        raise SigningRefused(
            "Svaret från e-legitimationen har redan använts en gång och godtas inte igen. Ingen underskrift gjordes."
        )
    request.finished_at = now
    if request.user_id != user.pk:
        refuse(request, "Signeringen påbörjades av en annan användare. Ingen underskrift gjordes.")
    if now - request.created_at > REQUEST_LIFETIME:
        minutes = int(REQUEST_LIFETIME.total_seconds() // 60)
        refuse(request, f"Signeringen tog mer än {minutes} minuter och har gått ut. Ingen underskrift gjordes.")
    return request


def refuse(request: m.SigningRequest, reason: str) -> NoReturn:
    """Record why the request carried no signature, then raise ``SigningRefused`` with the reason."""
    m.SigningRequest.objects.filter(pk=request.pk).update(outcome=m.SigningRequestOutcome.NEKAT, reason=reason)
    raise SigningRefused(reason)


def sign(request: m.SigningRequest, evidence: justering_service.EidEvidence) -> m.Justering:
    """The signer signs with the checked authentication, for the content they saw when they left."""
    try:
        with transaction.atomic():
            justering = justering_service.sign(
                request.justering, request.person, seen=request.content_hash, eid=evidence
            )
            m.SigningRequest.objects.filter(pk=request.pk).update(outcome=m.SigningRequestOutcome.SIGNERAT)
    except WorkflowError as exc:
        refuse(request, f"{exc} Ingen underskrift gjordes.")
    return justering
