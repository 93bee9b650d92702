"""The login page."""

from django.urls import reverse


def test_login_page_is_swedish(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "Logga in" in response.content.decode()
    assert 'lang="sv"' in response.content.decode()
    assert "default-src 'self'" in response["Content-Security-Policy"]
