"""Logging in with the municipality's e-legitimation through its OpenID Connect provider.

Built on mozilla-django-oidc (authorization code flow with state, nonce and PKCE; the ID token's
signature checked against the provider's JWKS with PyJWT). What this module adds to it:

- configuration from the settings only (``OIDC_*``, read from the environment in
  ``protokoll/settings.py``), with the provider's endpoints taken from its discovery document;
- the ID token's ``iss``, ``aud``, ``azp``, ``exp`` and ``iat`` checked (the library checks neither
  issuer nor audience);
- people matched by the claim that identifies them (``OIDC_IDENTITY_CLAIM``), never by name or
  e-mail, through the Identity an administrator registered. The claim may be a personnummer, so it is
  kept only as a keyed hash (``Identity.hash_identifier``); unknown people are not let in.

Nothing is configured (``OIDC_ISSUER`` empty): every function here answers "off" and password login
works exactly as before.
"""

from __future__ import annotations

import contextlib
import logging
import time
from dataclasses import dataclass
from urllib.parse import quote_plus, urlsplit

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from requests.auth import HTTPBasicAuth

from meetings import models as m
from meetings.services import eid as eid_service

logger = logging.getLogger(__name__)

# Clock difference tolerated between the provider and us when reading exp, iat and auth_time.
LEEWAY_SECONDS = 60
# How long a discovery document is trusted before it is fetched again (keys rotate through jwks_uri,
# which is read on every verification, so this only delays a change of endpoints).
DISCOVERY_SECONDS = 3600


def enabled() -> bool:
    """Is e-legitimation configured?"""
    return bool(settings.OIDC_ISSUER)


def absolute_url(request, path: str) -> str:
    """The absolute address of ``path`` for the provider (redirect URIs, the address to come back to
    after logging out). With DEBUG off it is built from SITE_URL, never from the request's Host
    header: the redirect URI registered at the provider is fixed, and a Host a client chose must not
    decide where the provider sends a code. In development the request's own address."""
    if settings.DEBUG:
        return request.build_absolute_uri(path)
    return f"{settings.SITE_URL}{path}"


def callback_url(request) -> str:
    """The one redirect URI of logins and signatures."""
    return absolute_url(request, reverse("oidc_authentication_callback"))


def password_login_enabled() -> bool:
    """Password login is the default, and can be turned off only when e-legitimation is on."""
    return settings.OIDC_PASSWORD_LOGIN or not enabled()


class ProviderUnavailable(Exception):
    """The provider's discovery document could not be read or does not fit the configuration."""


@dataclass(frozen=True)
class Provider:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    userinfo_endpoint: str
    end_session_endpoint: str


_discovered: dict[tuple[str, str], tuple[float, Provider]] = {}


def provider() -> Provider:
    """The configured provider's endpoints, from its discovery document (cached for an hour).

    The cache is only a saving: every app server fetches the same document for itself.
    """
    key = (settings.OIDC_DISCOVERY_URL, settings.OIDC_ISSUER)
    cached = _discovered.get(key)
    if cached is not None and cached[0] > time.monotonic():
        return cached[1]
    url = settings.OIDC_DISCOVERY_URL
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        doc = response.json()
    except (requests.RequestException, ValueError) as exc:
        logger.error("OpenID Connect: cannot read the discovery document %s: %s", url, exc)
        raise ProviderUnavailable(str(exc)) from exc
    if not isinstance(doc, dict) or doc.get("issuer") != settings.OIDC_ISSUER:
        found = doc.get("issuer") if isinstance(doc, dict) else None
        logger.error("OpenID Connect: %s names issuer %r, but OIDC_ISSUER is %r", url, found, settings.OIDC_ISSUER)
        raise ProviderUnavailable("issuer mismatch")
    missing = [name for name in ("authorization_endpoint", "token_endpoint", "jwks_uri") if not doc.get(name)]
    if missing:
        logger.error("OpenID Connect: %s lacks %s", url, ", ".join(missing))
        raise ProviderUnavailable(f"missing {missing}")
    found = Provider(
        issuer=doc["issuer"],
        authorization_endpoint=doc["authorization_endpoint"],
        token_endpoint=doc["token_endpoint"],
        jwks_uri=doc["jwks_uri"],
        userinfo_endpoint=doc.get("userinfo_endpoint") or "",
        end_session_endpoint=doc.get("end_session_endpoint") or "",
    )
    _discovered[key] = (time.monotonic() + DISCOVERY_SECONDS, found)
    return found


def discover_quietly() -> None:
    """Read the discovery document now if e-legitimation is on (a failure shows when it is used)."""
    if enabled():
        with contextlib.suppress(ProviderUnavailable):
            provider()


def form_action_origins() -> list[str]:
    """The provider's origins that our forms lead to: the issuer's, and those of its authorization
    and end-session endpoints once discovered. Never fetches anything."""
    if not enabled():
        return []
    urls = [settings.OIDC_ISSUER]
    cached = _discovered.get((settings.OIDC_DISCOVERY_URL, settings.OIDC_ISSUER))
    if cached is not None:
        urls += [cached[1].authorization_endpoint, cached[1].end_session_endpoint]
    origins = set()
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") and parts.netloc:
            origins.add(f"{parts.scheme}://{parts.netloc}")
    return sorted(origins)


def identifier(claims: dict) -> str | None:
    """The value of the claim that identifies a person, or None when the provider did not send it."""
    value = claims.get(settings.OIDC_IDENTITY_CLAIM)
    if isinstance(value, bool) or not isinstance(value, str | int) or value == "":
        return None
    return str(value)


def identity_for(claims: dict) -> m.Identity | None:
    """The registered Identity that these verified claims belong to."""
    value = identifier(claims)
    if value is None:
        return None
    return (
        m.Identity.objects.select_related("person__user")
        .filter(issuer=settings.OIDC_ISSUER, subject_hash=m.Identity.hash_identifier(value))
        .first()
    )


@dataclass
class LoginFailure:
    """Why a login through the provider let nobody in; the callback view shows it in Swedish."""

    unknown: bool
    code: str = ""  # the hash of an unknown person's identifier, to give to the administrator


class OidcBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend, configured from the settings and the discovery document, with
    the checks it leaves out and matching through registered identities."""

    def __init__(self, *args, **kwargs) -> None:
        # The library reads its settings here; ours are read when used, so that the backend can be
        # listed always and does nothing while e-legitimation is off.
        self.UserModel = get_user_model()

    # The library's attribute names, read from the settings and the discovery document when used.
    OIDC_RP_IDP_SIGN_KEY = None

    @property
    def OIDC_RP_CLIENT_ID(self) -> str:
        return settings.OIDC_RP_CLIENT_ID

    @property
    def OIDC_RP_CLIENT_SECRET(self) -> str:
        return settings.OIDC_RP_CLIENT_SECRET

    @property
    def OIDC_RP_SIGN_ALGO(self) -> str:
        return settings.OIDC_RP_SIGN_ALGO

    @property
    def OIDC_OP_TOKEN_ENDPOINT(self) -> str:
        return provider().token_endpoint

    @property
    def OIDC_OP_JWKS_ENDPOINT(self) -> str:
        return provider().jwks_uri

    @property
    def OIDC_OP_USER_ENDPOINT(self) -> str:
        return provider().userinfo_endpoint

    def get_user(self, user_id):
        """The user of a session this backend logged in, while e-legitimation is on and the account
        is active: deactivating an account (or turning e-legitimation off) ends its sessions at their
        next request, as Django's ModelBackend does for passwords."""
        if not enabled():
            return None
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None

    def authenticate(self, request, **kwargs):
        # Only the callback view passes a nonce; password logins never reach the provider.
        if not enabled() or "nonce" not in kwargs:
            return None
        return super().authenticate(request, **kwargs)

    def get_token(self, payload: dict) -> dict:
        """The token response, authenticating the client as configured. For client_secret_basic the
        id and secret are form-encoded before base64 (RFC 6749, 2.3.1), which the library omits. The
        redirect URI is ours (``callback_url``), not the library's, which it takes from the Host."""
        payload = dict(payload)
        payload["redirect_uri"] = callback_url(self.request)  # as sent with the authorization request
        auth = None
        if settings.OIDC_TOKEN_AUTH_METHOD == "client_secret_basic":
            auth = HTTPBasicAuth(quote_plus(payload.pop("client_id")), quote_plus(payload.pop("client_secret")))
        response = requests.post(self.OIDC_OP_TOKEN_ENDPOINT, data=payload, auth=auth, timeout=settings.OIDC_TIMEOUT)
        self.raise_token_response_error(response)
        return response.json()

    def retrieve_matching_jwk(self, token: str | bytes) -> jwt.PyJWK:
        """The provider's key that signed ``token``: the one its ``kid`` names, or, for a token
        without ``kid``, the only signing key there is (OpenID Connect Core 10.1). A token or key set
        that cannot be read is refused like a bad signature, never a server error."""
        response = requests.get(self.OIDC_OP_JWKS_ENDPOINT, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        try:
            header = jwt.get_unverified_header(token)
            keys = response.json()["keys"]
            candidates = [
                k
                for k in keys
                if isinstance(k, dict)
                and k.get("use", "sig") == "sig"
                and k.get("alg", header.get("alg")) == header.get("alg")
            ]
            if "kid" in header:
                candidates = [k for k in candidates if k.get("kid") == header["kid"]]
            if len(candidates) != 1:
                raise SuspiciousOperation(f"no single key in the JWKS for kid {header.get('kid')!r}")
            return jwt.PyJWK(candidates[0])
        except (jwt.InvalidTokenError, jwt.PyJWKError, ValueError, KeyError, TypeError) as exc:
            raise SuspiciousOperation(f"ID token or JWKS unreadable: {exc}") from exc

    def _verify_jws(self, payload: str, key) -> dict:
        """The ID token's claims once its signature, issuer, audience and times are checked."""
        try:
            header = jwt.get_unverified_header(payload)
            if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
                raise SuspiciousOperation(f"ID token signed with {header.get('alg')!r}, not {self.OIDC_RP_SIGN_ALGO}")
            claims = jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=settings.OIDC_ISSUER,
                leeway=LEEWAY_SECONDS,
                options={"require": ["iss", "aud", "exp", "iat", "sub"]},
            )
        except jwt.InvalidTokenError as exc:
            raise SuspiciousOperation(f"ID token rejected: {exc}") from exc
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise SuspiciousOperation("ID token for several audiences without us as azp")
        return claims

    def get_userinfo(self, access_token: str, id_token: str, payload: dict) -> dict:
        """The ID token's claims, completed from the userinfo endpoint where the provider has one.

        The ID token's claims win; userinfo must be about the same ``sub`` (OpenID Connect Core 5.3.2).
        """
        if not self.OIDC_OP_USER_ENDPOINT or not access_token:
            return dict(payload)
        info = super().get_userinfo(access_token, id_token, payload)
        if not isinstance(info, dict) or info.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("userinfo is about another subject than the ID token")
        return {**info, **payload}

    def describe_user_by_claims(self, claims: dict) -> str:
        return "a person"  # never the claims: they may hold a personnummer

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict):
        """The user of the registered person these claims identify; created on a first login."""
        claims = self.get_userinfo(access_token, id_token, payload)
        value = identifier(claims)
        if value is None:
            logger.warning("OpenID Connect: the provider sent no %s claim", settings.OIDC_IDENTITY_CLAIM)
            self.request.oidc_failure = LoginFailure(unknown=False)
            return None
        identity = identity_for(claims)
        if identity is None:
            self.request.oidc_failure = LoginFailure(unknown=True, code=m.Identity.hash_identifier(value))
            return None
        return eid_service.log_in(identity, name=_claim(claims, settings.OIDC_NAME_CLAIM), email=_email(claims))


def _claim(claims: dict, name: str) -> str:
    value = claims.get(name) if name else None
    return value.strip() if isinstance(value, str) else ""


def _email(claims: dict) -> str:
    """The e-mail address, unless the provider says it is not verified."""
    if claims.get("email_verified") is False:
        return ""
    return _claim(claims, settings.OIDC_EMAIL_CLAIM)
