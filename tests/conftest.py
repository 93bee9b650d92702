"""The cast of the tests (after healthchecks): alice is secretary of KSAU, bob chairs its meetings,
charlie has an account but no access to KSAU, and admin administers everything."""

import pytest

from meetings import models as m
from tests import factories as f


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
