"""The cast of the tests (after healthchecks): alice is secretary of KSAU, bob chairs its meetings,
charlie has an account but no access to KSAU, and admin administers everything.

Then the protokoll that tests of several modules share: ``ready`` (a finished draft), ``justering``
(it, sent to justering), ``justerat`` (its justering round, justerat, with a § under sekretess and a
personnummer), ``posted`` (its anslag, posted today) and ``world`` (it among a draft, an unposted
protokoll and a future anslag). A test module may define its own ``justerat`` instead."""

import datetime as dt
import os

import pytest
from django.utils import timezone

from meetings import models as m
from meetings.services import anslag as anslag_service
from meetings.services import justering as justering_service
from tests import factories as f
from tests import oidc
from tests.helpers import DRAFT_WORD, FUTURE_WORD, PERSONNUMMER, UNPOSTED_WORD, sign_all
from tests.oidc_provider.install import missing_reason


@pytest.fixture
def organ(db):
    return f.organ()


@pytest.fixture
def alice(organ):
    user = f.user("alice")
    organ.secretaries.add(user)
    f.person("Alice Sekreterare", user=user, title="Kommunsekreterare")
    return user


@pytest.fixture
def bob(organ):
    user = f.user("bob")
    p = f.member(organ, "Bob Ordförande", "M", m.MembershipRole.ORDFORANDE)
    p.user = user
    p.save()
    return user


@pytest.fixture
def charlie(db):
    user = f.user("charlie")
    f.person("Charlie Utomstående", user=user)
    return user


@pytest.fixture
def admin_user(db):
    return f.user("admin", is_superuser=True, is_staff=True)


@pytest.fixture
def meeting(organ, bob):
    return f.meeting(organ, chair=bob.person, diarienummer="KS 2026/100")


@pytest.fixture
def ready(organ, alice, bob):
    """A finished draft: chair bob, justerare jane and joe (KSAU needs two), two paragraphs."""
    jane = f.member(organ, "Jane Justerare", "S", email="jane@example.se")
    jane.user = f.user("jane")
    jane.save()
    joe = f.member(organ, "Joe Justerare", "KD", email="joe@example.se")
    joe.user = f.user("joe")
    joe.save()
    bob.person.email = "bob@example.se"
    bob.person.save()
    alice.email = "alice@example.se"
    alice.save()
    meeting = f.meeting(organ, chair=bob.person, justerare_1=jane, justerare_2=joe, diarienummer="KS 2026/100")
    for person in (bob.person, jane, joe):
        f.attend(meeting, person)
    p1 = f.paragraph(meeting, title="Budget")
    m.DecisionClause.objects.create(paragraph=p1, text="att anta budgeten")
    f.paragraph(meeting, title="Taxor", immediate_justering=True)
    return meeting


@pytest.fixture
def justering(ready, alice):
    return justering_service.send_to_justering(ready, alice)


@pytest.fixture
def justerat(ready, alice):
    """A justerat protokoll: §§ Budget (with a personnummer), Taxor, and a § under sekretess."""
    secret = f.paragraph(ready, title="Personalärende", secret=True, summary="Hemlig text om en anställd")
    m.DecisionClause.objects.create(paragraph=secret, text="att bevilja ansökan")
    budget = ready.paragraphs.get(title="Budget")
    budget.summary = f"Sökanden {PERSONNUMMER} ansöker om bidrag till idrottshallen."
    budget.save()
    justering = justering_service.send_to_justering(ready, alice)
    sign_all(justering)
    justering.refresh_from_db()
    return justering


@pytest.fixture
def posted(justerat, alice):
    return anslag_service.post_anslag(justerat, alice, timezone.localdate())


def _attend_signers(meeting: m.Meeting) -> None:
    """The chair and justerare are beslutande (a protokoll cannot be sent otherwise)."""
    for person in (meeting.chair, *meeting.justerare):
        f.attend(meeting, person)


@pytest.fixture
def world(posted, organ, alice, bob):
    """One published anslag, plus a draft, an unposted justerat protokoll and a future anslag: what
    every public page and the open-data API must show, and must not show, alike."""
    draft = f.meeting(organ, date=dt.date(2026, 4, 1), chair=bob.person)
    f.paragraph(draft, title=f"{DRAFT_WORD} i rubriken", summary=f"{DRAFT_WORD} i texten")

    unposted = f.meeting(
        organ,
        date=dt.date(2026, 5, 1),
        chair=bob.person,
        justerare_1=posted.meeting.justerare_1,
        justerare_2=posted.meeting.justerare_2,
    )
    _attend_signers(unposted)
    f.paragraph(unposted, title=f"{UNPOSTED_WORD} rubrik", summary=UNPOSTED_WORD)
    unposted_round = justering_service.send_to_justering(unposted, alice)
    sign_all(unposted_round)

    future_meeting = f.meeting(
        organ,
        date=dt.date(2026, 6, 1),
        chair=bob.person,
        justerare_1=posted.meeting.justerare_1,
        justerare_2=posted.meeting.justerare_2,
    )
    _attend_signers(future_meeting)
    f.paragraph(future_meeting, title=f"{FUTURE_WORD} rubrik", summary=FUTURE_WORD)
    future_round = justering_service.send_to_justering(future_meeting, alice)
    sign_all(future_round)
    future = anslag_service.post_anslag(future_round, alice, timezone.localdate() + dt.timedelta(days=1))
    return {"posted": posted, "draft": draft, "unposted": unposted, "unposted_round": unposted_round, "future": future}


@pytest.fixture(scope="session", autouse=True)
def seal_certificate():
    """The test seal certificate (protokoll.test_settings), made once."""
    from pathlib import Path

    from django.conf import settings

    from meetings.management.commands.create_dev_certificate import create_certificate

    key, cert = Path(settings.SEAL_KEY_FILE), Path(settings.SEAL_CERT_FILE)
    if not (key.exists() and cert.exists()):
        create_certificate(key, cert)
    return cert


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Each test stores its PDFs in its own folder, as its database is its own too."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory):
    """The real OpenID Connect provider (npm oidc-provider on Node.js), one for the whole run.

    Outside CI a machine without Node.js skips the tests that need it; in CI they fail instead."""
    reason = missing_reason()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"The OpenID Connect tests must run in CI: {reason}")
        pytest.skip(reason)
    provider = oidc.start(tmp_path_factory.mktemp("oidc") / "provider.log")
    yield provider
    oidc.stop(provider)


@pytest.fixture
def eid(settings, oidc_provider):
    """E-legitimation on, against the test provider, identifying people by their personnummer (the
    Swedish OIDC profile's claim) and signing at loa3 only. Password login stays on."""
    settings.OIDC_ISSUER = oidc_provider.issuer
    settings.OIDC_DISCOVERY_URL = f"{oidc_provider.issuer}/.well-known/openid-configuration"
    settings.OIDC_RP_CLIENT_ID = oidc.CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = oidc.CLIENT_SECRET
    settings.OIDC_RP_SCOPES = f"openid profile email {oidc.PNR_SCOPE}"
    settings.OIDC_IDENTITY_CLAIM = oidc.PNR_CLAIM
    settings.OIDC_SUBJECT_SALT = "test-salt-not-for-production"
    settings.OIDC_SIGN_ACR_VALUES = [oidc.HIGH]
    settings.OIDC_CONTACT = "kommunkansliet, kansliet@exempel.se"
    # Redirect URIs come from SITE_URL (DEBUG is off in tests): the test client's address.
    settings.SITE_URL = "http://testserver"
    return oidc_provider


@pytest.fixture
def scripted_eid(settings):
    """E-legitimation on, against a provider whose ID tokens the test writes (``oidc.ScriptedProvider``)."""
    provider = oidc.ScriptedProvider()
    settings.OIDC_ISSUER = provider.issuer
    settings.OIDC_DISCOVERY_URL = f"{provider.issuer}/.well-known/openid-configuration"
    settings.OIDC_RP_CLIENT_ID = oidc.CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = oidc.CLIENT_SECRET
    settings.OIDC_IDENTITY_CLAIM = "sub"
    settings.OIDC_SUBJECT_SALT = "test-salt-not-for-production"
    settings.OIDC_SIGN_ACR_VALUES = [oidc.HIGH]
    yield provider
    provider.stop()


class SmtpRecorder:
    """An aiosmtpd handler: keeps every message it accepts, and answers "451 try again later" to
    the next ``refuse`` messages (a mail server that is briefly unavailable)."""

    def __init__(self):
        self.messages = []
        self.refuse = 0

    async def handle_DATA(self, server, session, envelope):
        if self.refuse > 0:
            self.refuse -= 1
            return "451 4.3.0 Försök igen senare"
        import email

        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1 for this test, and the settings that send to it."""
    from aiosmtpd.controller import Controller

    from tests.helpers import free_port

    recorder = SmtpRecorder()
    # Controller(port=0) cannot work: start() connects to the port it was given to check it is up.
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    yield recorder
    controller.stop()


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache, as its database starts empty: a cached page of an
    earlier test must not answer for this one."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
