"""A request larger than its view accepts is refused with a Swedish 413 before its body is read."""

from django.urls import reverse

from anslagstavla.views import MAX_UPLOAD
from tests.helpers import client_for


class Unread:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def test_a_too_large_verification_upload_is_refused_unread(client, db):
    size = MAX_UPLOAD + 1024 * 1024
    response = client.post(
        reverse("verify"),
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(size),
        **{"wsgi.input": Unread()},
    )
    assert response.status_code == 413
    page = response.content.decode()
    assert "Filen är för stor" in page and "högst 20 MB" in page


def test_a_verification_upload_within_the_limit_is_read(client, db):
    response = client.post(reverse("verify"), {"hash": "0" * 64})
    assert response.status_code == 200
    assert "Inte verifierad" in response.content.decode()


def test_every_other_view_has_the_general_bound(settings, alice, meeting):
    response = client_for(alice).post(
        reverse("meeting_edit", args=[meeting.pk]),
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(settings.REQUEST_MAX_BYTES + 1),
        **{"wsgi.input": Unread()},
    )
    assert response.status_code == 413
    assert "Filen är för stor" in response.content.decode()
