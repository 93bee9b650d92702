"""The real OpenID Connect provider of the tests (npm oidc-provider, tests/oidc_provider/provider.mjs)
and a small driver of its login form for tests without a browser. Not a test module.

The provider's login form lets a test choose the user (anna or bertil, password "test"), the level of
assurance (acr) and how many seconds to backdate auth_time. Its users carry a personnummer in the
Swedish OIDC profile's claim, which Protokoll must never store in clear.
"""

from __future__ import annotations

import json
import os
import re
import selectors
import subprocess
import time
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests

from tests.oidc_provider.install import install

PROVIDER_DIR = Path(__file__).resolve().parent / "oidc_provider"
LOW = "http://id.elegnamnden.se/loa/1.0/loa2"
HIGH = "http://id.elegnamnden.se/loa/1.0/loa3"
PNR_SCOPE = "https://id.oidc.se/scope/naturalPersonNumber"
PNR_CLAIM = "https://id.oidc.se/claim/personalIdentityNumber"
CLIENT_ID = "protokoll"
BROWSER_CLIENT_ID = "protokoll-live"
# With characters that client_secret_basic must form-encode (RFC 6749, 2.3.1).
CLIENT_SECRET = "test-secret:with/special+chars"
PASSWORD = "test"


@dataclass(frozen=True)
class User:
    username: str
    sub: str
    personnummer: str
    name: str


ANNA = User("anna", "5b0e6c1a-7d3f-4c61-9a0e-0a11a0000001", "197001022383", "Anna Andersson")
BERTIL = User("bertil", "5b0e6c1a-7d3f-4c61-9a0e-0a11a0000002", "198112189876", "Bertil Berg")


@dataclass
class RunningProvider:
    issuer: str
    process: subprocess.Popen
    log: Path


def start(log: Path) -> RunningProvider:
    """Start the provider on a free port of 127.0.0.1; returns once it accepts connections.

    Two clients: ``CLIENT_ID`` for Django's test client (http://testserver), and ``BROWSER_CLIENT_ID``
    for the live server, registered as a native client so that any port of 127.0.0.1 is accepted for
    its loopback redirect URIs (RFC 8252, 7.3): the live server's port is only known later.
    """
    install()
    clients = [
        {
            "client_id": client_id,
            "client_secret": CLIENT_SECRET,
            "redirect_uris": [f"{site}/oidc/callback/"],
            "post_logout_redirect_uris": [f"{site}/logga-in/"],
            "token_endpoint_auth_method": "client_secret_basic",
            **extra,
        }
        for client_id, site, extra in [
            (CLIENT_ID, "http://testserver", {}),
            (BROWSER_CLIENT_ID, "http://127.0.0.1", {"application_type": "native"}),
        ]
    ]
    env = {**os.environ, "PORT": "0", "OIDC_CLIENT_JSON": json.dumps(clients), "OIDC_ACR_VALUES": f"{LOW} {HIGH}"}
    with log.open("w") as stderr:
        process = subprocess.Popen(
            ["node", "provider.mjs"], cwd=PROVIDER_DIR, env=env, text=True, stdout=subprocess.PIPE, stderr=stderr
        )
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if selector.select(timeout=0.5):
            line = process.stdout.readline()
            if not line:  # it exited (a bad client configuration exits with 2)
                break
            if line.startswith("READY "):
                return RunningProvider(line.split()[1], process, log)
    stop(RunningProvider("", process, log))
    raise RuntimeError(f"the OpenID Connect provider did not start; see {log}:\n{log.read_text()[-2000:]}")


def stop(provider: RunningProvider) -> None:
    provider.process.terminate()  # provider.mjs exits 0 on SIGTERM
    try:
        provider.process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        provider.process.kill()
        provider.process.wait()


def log_in_at_provider(
    authorize_url: str, user: User = ANNA, acr: str = HIGH, backdate: int = 0, session: requests.Session | None = None
) -> str:
    """Follow ``authorize_url`` to the provider's login form, log in as ``user``, and return the URL
    the provider sends the browser back to (our callback, which is not fetched)."""
    session = session or requests.Session()
    response = session.get(authorize_url, allow_redirects=False, timeout=10)
    url = authorize_url
    while response.is_redirect:
        url = urljoin(url, response.headers["Location"])
        response = session.get(url, allow_redirects=False, timeout=10)
    action = re.search(r'<form method="post" action="([^"]+/login)"', response.text)
    assert action, f"no login form at {url}: {response.text[:500]}"
    response = session.post(
        urljoin(url, unescape(action.group(1))),
        data={"username": user.username, "password": PASSWORD, "acr": acr, "ts_offset_seconds": str(backdate)},
        allow_redirects=False,
        timeout=10,
    )
    provider = urlsplit(authorize_url).netloc
    while response.is_redirect:
        url = urljoin(url, response.headers["Location"])
        if urlsplit(url).netloc != provider:
            return url
        response = session.get(url, allow_redirects=False, timeout=10)
    raise AssertionError(f"the provider did not send the browser back: {response.status_code} {response.text[:500]}")


def register(person, user: User = ANNA):
    """What the administrator does: register ``user``'s personnummer as ``person``'s e-legitimation."""
    from django.conf import settings

    from meetings import models as m

    return m.Identity.objects.create(
        person=person, issuer=settings.OIDC_ISSUER, subject_hash=m.Identity.hash_identifier(user.personnummer)
    )


class ScriptedProvider:
    """An OpenID Connect provider on 127.0.0.1 that answers the token request with whatever ID token
    a test hands it: the answers a certified provider never gives (a token without ``kid``, a token
    that is not a JWT, an absurd ``auth_time``), which the relying party must still refuse in Swedish.

    Discovery, JWKS and token endpoint are real HTTP; the tokens are real RS256 JWTs signed with the
    key it publishes (``kid`` "k1" unless ``jwk_kid`` is None).
    """

    def __init__(self) -> None:
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        from cryptography.hazmat.primitives.asymmetric import rsa

        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.jwk_kid: str | None = "k1"
        self.second_key = None  # a second key in the JWKS ("k2"), once a test sets one
        self.id_token = ""
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def _json(self, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                if self.path == "/.well-known/openid-configuration":
                    self._json(provider.discovery())
                elif self.path == "/jwks":
                    self._json(provider.jwks())
                else:
                    self.send_error(404)

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.path == "/token":
                    self._json({"access_token": "at", "token_type": "Bearer", "id_token": provider.id_token})
                else:
                    self.send_error(404)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def discovery(self) -> dict:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/auth",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
        }

    def jwks(self) -> dict:
        import jwt

        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        jwk.update({"use": "sig", "alg": "RS256"})
        if self.jwk_kid is not None:
            jwk["kid"] = self.jwk_kid
        keys = [jwk]
        if self.second_key is not None:
            second = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.second_key.public_key()))
            keys.append({**second, "use": "sig", "alg": "RS256", "kid": "k2"})
        return {"keys": keys}

    def sign(self, claims: dict, kid: str | None = "k1") -> str:
        """An ID token for our client with these claims over sensible defaults."""
        import jwt

        now = int(time.time())
        payload = {"iss": self.issuer, "aud": CLIENT_ID, "sub": ANNA.sub, "iat": now, "exp": now + 300, **claims}
        headers = {"kid": kid} if kid is not None else {}
        return jwt.encode(payload, self.key, algorithm="RS256", headers=headers)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
