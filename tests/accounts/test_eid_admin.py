"""The administrator registers a person's e-legitimation in /admin/: from the identifier (e.g. the
personnummer, stored only as its keyed hash) or from the code an unknown person was shown."""

from django.urls import reverse

from meetings import models as m
from tests import factories as f
from tests.helpers import client_for

PNR = "197001022383"


def _save(client, person: m.Person, identifier: str = "", code: str = ""):
    data = {
        "name": person.name,
        "title": "",
        "organisation": "",
        "email": "",
        "user": "",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "identities-TOTAL_FORMS": "1",
        "identities-INITIAL_FORMS": "0",
        "identities-0-identifier": identifier,
        "identities-0-code": code,
        "identities-0-person": str(person.pk),
    }
    return client.post(reverse("admin:meetings_person_change", args=[person.pk]), data)


def test_the_identifier_is_stored_only_as_its_keyed_hash(settings, admin_user):
    settings.OIDC_ISSUER, settings.OIDC_SUBJECT_SALT = "https://idp.exempel.se", "salt"
    person = f.person("Anna Andersson")
    response = _save(client_for(admin_user), person, identifier=PNR)
    assert response.status_code == 302, response.content.decode()[:2000]
    identity = m.Identity.objects.get(person=person)
    assert identity.subject_hash == m.Identity.hash_identifier(PNR) and PNR not in identity.subject_hash
    assert (identity.issuer, identity.created_by) == ("https://idp.exempel.se", admin_user)


def test_the_code_from_the_refusal_page_registers_too(settings, admin_user):
    settings.OIDC_ISSUER = "https://idp.exempel.se"
    person = f.person("Anna Andersson")
    code = m.Identity.hash_identifier(PNR)
    grouped = " ".join(code[i : i + 8] for i in range(0, 64, 8))
    assert _save(client_for(admin_user), person, code=grouped.upper()).status_code == 302
    assert m.Identity.objects.get(person=person).subject_hash == code


def test_one_e_legitimation_belongs_to_one_person(settings, admin_user):
    settings.OIDC_ISSUER = "https://idp.exempel.se"
    first, second = f.person("Anna Andersson"), f.person("Anna Annan")
    client = client_for(admin_user)
    _save(client, first, identifier=PNR)
    response = _save(client, second, identifier=PNR)
    assert response.status_code == 200 and "redan registrerad för Anna Andersson" in response.content.decode()
    assert not m.Identity.objects.filter(person=second).exists()


def test_bad_input_is_refused(settings, admin_user):
    settings.OIDC_ISSUER = "https://idp.exempel.se"
    person = f.person("Anna Andersson")
    client = client_for(admin_user)
    assert "Ange antingen identifieraren eller koden" in _save(client, person, PNR, "ab" * 32).content.decode()
    assert "64 tecken" in _save(client, person, code="not-a-code").content.decode()
    assert not m.Identity.objects.exists()


def test_nothing_can_be_registered_without_configuration(admin_user):
    person = f.person("Anna Andersson")
    response = _save(client_for(admin_user), person, identifier=PNR)
    assert "E-legitimation är inte konfigurerad" in response.content.decode()
    assert not m.Identity.objects.exists()


def test_only_administrators_may_register(settings, alice):
    settings.OIDC_ISSUER = "https://idp.exempel.se"
    person = f.person("Anna Andersson")
    response = _save(client_for(alice), person, identifier=PNR)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert not m.Identity.objects.exists()
