"""Signing with e-legitimation (step-up authentication): the e-legitimation counterpart of the
re-entered password in ``accounts.reauth``.

"Signera" sends the signer to the identity provider for a fresh authentication (``prompt=login``,
``max_age=0`` and the configured ``acr_values``), bound to this one signature by a SigningRequest:
its ``state`` (used once), ``nonce`` (in the ID token), PKCE verifier and the content hash the signer
saw. When the provider answers, the ID token is verified (``accounts.oidc``) and the authentication
must be the signer's own, fresh and at a level the municipality accepts; only then is the signature
given, carrying the evidence (``meetings.services.justering.EidEvidence``). Otherwise nothing is
signed and the reason is shown in Swedish and kept on the SigningRequest.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponseRedirect
from django.utils import timezone
from mozilla_django_oidc.utils import generate_code_challenge

from meetings import models as m
from meetings.services import eid as eid_service
from meetings.services.base import WorkflowError
from meetings.services.justering import EidEvidence

from . import oidc

logger = logging.getLogger(__name__)

NOT_SIGNED = "Ingen underskrift gjordes."


class AuthenticationRefused(Exception):
    """The authentication cannot carry a signature; the message says why, in Swedish."""


def start(request: HttpRequest, justering: m.Justering, person: m.Person, seen: str) -> HttpResponseRedirect:
    """Send the signer to the provider to authenticate anew for this signature."""
    try:
        endpoint = oidc.provider().authorization_endpoint
    except oidc.ProviderUnavailable:
        raise WorkflowError("E-legitimationen svarar inte just nu. Försök igen om en stund.") from None
    signing = eid_service.open_request(justering, person, request.user, seen)
    params = {
        "response_type": "code",
        "client_id": settings.OIDC_RP_CLIENT_ID,
        "redirect_uri": oidc.callback_url(request),
        "scope": settings.OIDC_RP_SCOPES,
        "state": signing.state,
        "nonce": signing.nonce,
        "code_challenge": generate_code_challenge(signing.code_verifier, "S256"),
        "code_challenge_method": "S256",
        # A single sign-on session must not stand in for a new authentication (OpenID Connect Core 3.1.2.1).
        "prompt": "login",
        "max_age": "0",
    }
    if settings.OIDC_SIGN_ACR_VALUES:
        params["acr_values"] = " ".join(settings.OIDC_SIGN_ACR_VALUES)
    return HttpResponseRedirect(f"{endpoint}?{urlencode(params)}")


def complete(request: HttpRequest, signing: m.SigningRequest) -> m.Justering:
    """Sign with the provider's answer, or raise ``SigningRefused`` with the reason."""
    eid_service.claim(signing, request.user)
    if request.GET.get("error"):
        eid_service.refuse(signing, f"Legitimeringen hos e-legitimationen avbröts. {NOT_SIGNED}")
    # RFC 9207: where the provider names itself in the answer, it must be ours.
    if request.GET.get("iss", settings.OIDC_ISSUER) != settings.OIDC_ISSUER:
        eid_service.refuse(signing, f"Svaret kom från en annan identitetsleverantör. {NOT_SIGNED}")
    backend = oidc.OidcBackend()
    backend.request = request
    try:
        tokens = backend.get_token(
            {
                "client_id": settings.OIDC_RP_CLIENT_ID,
                "client_secret": settings.OIDC_RP_CLIENT_SECRET,
                "grant_type": "authorization_code",
                "code": request.GET.get("code", "")[:2000],
                "redirect_uri": oidc.callback_url(request),
                "code_verifier": signing.code_verifier,
            }
        )
        id_token = tokens["id_token"]
        claims = backend.verify_token(id_token, nonce=signing.nonce)
        if oidc.identifier(claims) is None:
            claims = backend.get_userinfo(tokens.get("access_token", ""), id_token, claims)
    except (
        SuspiciousOperation,
        requests.RequestException,
        oidc.ProviderUnavailable,
        KeyError,
        TypeError,
        ValueError,
    ) as exc:
        logger.warning("Signing with e-legitimation: the provider's answer was refused: %s", exc)
        eid_service.refuse(signing, f"Svaret från e-legitimationen kunde inte kontrolleras. {NOT_SIGNED}")
    if not _is_signers(claims, signing.person):
        eid_service.refuse(signing, f"Du legitimerade dig som en annan person än {signing.person.name}. {NOT_SIGNED}")
    try:
        auth_time, acr = check_authentication(
            claims,
            started_at=signing.created_at,
            now=timezone.now(),
            accepted_acr=settings.OIDC_SIGN_ACR_VALUES,
            max_age=settings.OIDC_SIGN_MAX_AGE,
        )
    except AuthenticationRefused as exc:
        eid_service.refuse(signing, f"{exc} {NOT_SIGNED}")
    evidence = EidEvidence(
        issuer=settings.OIDC_ISSUER,
        subject_hash=m.Identity.hash_identifier(oidc.identifier(claims)),
        auth_time=auth_time,
        acr=acr,
        id_token_sha256=hashlib.sha256(id_token.encode()).hexdigest(),
    )
    return eid_service.sign(signing, evidence)


def _is_signers(claims: dict, person: m.Person) -> bool:
    identity = oidc.identity_for(claims)
    return identity is not None and identity.person_id == person.pk


def check_authentication(
    claims: dict,
    *,
    started_at: datetime.datetime,
    now: datetime.datetime,
    accepted_acr: list[str],
    max_age: int,
) -> tuple[datetime.datetime, str]:
    """The authentication time and level (acr) of verified ID-token ``claims``, if they may carry a
    signature begun at ``started_at``: the authentication happened after "Signera" was pressed and at
    most ``max_age`` seconds ago, at one of the ``accepted_acr`` levels (any level when none is
    configured). Otherwise ``AuthenticationRefused`` says why.
    """
    acr = claims.get("acr") if isinstance(claims.get("acr"), str) else ""
    if accepted_acr and acr not in accepted_acr:
        # Only "not accepted" is known: a level outside the list need not be a lower one.
        required = f"För att signera krävs tillitsnivån {' eller '.join(accepted_acr)}."
        if not acr:
            raise AuthenticationRefused(
                f"E-legitimationen angav inte på vilken tillitsnivå du legitimerade dig. {required}"
            )
        raise AuthenticationRefused(
            f"Legitimeringen gjordes på tillitsnivån {acr}, som inte godtas för underskrifter. {required}"
        )
    raw = claims.get("auth_time")
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise AuthenticationRefused("E-legitimationen angav inte när du legitimerade dig.")
    try:
        auth_time = datetime.datetime.fromtimestamp(raw, tz=datetime.UTC)
    except (OverflowError, OSError, ValueError):  # beyond what a date can hold: not a real time
        raise AuthenticationRefused("E-legitimationen angav en omöjlig tidpunkt för legitimeringen.") from None
    leeway = datetime.timedelta(seconds=oidc.LEEWAY_SECONDS)
    if auth_time > now + leeway:
        raise AuthenticationRefused("E-legitimationen angav en tidpunkt för legitimeringen som ännu inte har kommit.")
    if auth_time < started_at - leeway or now - auth_time > datetime.timedelta(seconds=max_age):
        local = timezone.localtime(auth_time)
        raise AuthenticationRefused(
            f"Legitimeringen gjordes {local:%Y-%m-%d} kl. {local:%H.%M.%S} och är för gammal: för att signera "
            f"krävs en ny legitimering, gjord efter att du tryckte Signera och högst "
            f"{_duration(max_age)} gammal."
        )
    return auth_time, acr


def _duration(seconds: int) -> str:
    if seconds % 60 == 0:
        minutes = seconds // 60
        return "1 minut" if minutes == 1 else f"{minutes} minuter"
    return f"{seconds} sekunder"
