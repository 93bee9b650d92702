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
