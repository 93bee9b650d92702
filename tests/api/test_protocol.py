"""The API speaks OParl 1.1's protocol: UTF-8 JSON with CORS, ETag and Last-Modified with 304, pages
with links that keep the filters, the filters themselves, and clear errors (an OParl Error object with
a Swedish message, never a 500 or an HTML page) for bad input."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

import pytest
from django.utils import timezone

from meetings import models as m
from tests import factories as f

ROOT = "/api/oparl/1.1/"
ERROR = "https://schema.oparl.org/1.1/Error"


@pytest.fixture
def meeting_url(posted):
    return f"{ROOT}meeting/{posted.meeting_id}"


def test_the_system_object_is_utf8_json_with_cors(client, posted):
    response = client.get(ROOT)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.content.startswith(b"{")  # no byte order mark
    system = response.json()
    assert system["oparlVersion"] == "https://schema.oparl.org/1.1/"
    assert system["id"] == "https://protokoll.example.se/api/oparl/1.1/"
    assert system["body"] == "https://protokoll.example.se/api/oparl/1.1/body"


def test_text_is_utf8_not_escaped(client, posted):
    content = client.get(f"{ROOT}body/1/agendaitem").content
    assert "Ärendet omfattas av sekretess".encode() in content
    assert b"\\u00c4" not in content


@pytest.mark.parametrize("path", ["", "body/1", "body/1/meeting", "body/1/person", "meeting/{meeting}"])
def test_304_on_revalidation_with_etag(client, posted, path):
    url = ROOT + path.format(meeting=posted.meeting_id)
    first = client.get(url)
    etag = first["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again["ETag"] == etag and again["Access-Control-Allow-Origin"] == "*"
    assert again.content == b""


def test_304_on_revalidation_with_last_modified(client, meeting_url):
    first = client.get(meeting_url)
    assert first.status_code == 200
    again = client.get(meeting_url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 304


def test_a_change_gives_a_new_etag(client, posted, meeting_url, organ):
    etag = client.get(f"{ROOT}body/1/person")["ETag"]
    f.member(organ, "Nykomling Ledamot", "C")
    response = client.get(f"{ROOT}body/1/person", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response["ETag"] != etag


@pytest.mark.parametrize(
    "query",
    [
        "modified_since=igår",
        "modified_since=2026-13-01T00:00:00%2B01:00",
        "created_until=2026-01-01T25:00:00",
        "modified_until=0001-01-01T00:00:00%2B14:00",
        "created_since=" + "1" * 200,
        "page=0",
        "page=abc",
        "page=-1",
        "limit=0",
        "limit=1e3",
    ],
)
def test_bad_parameters_are_400_with_a_swedish_message(client, posted, query):
    response = client.get(f"{ROOT}body/1/meeting?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    error = response.json()
    assert error["type"] == ERROR
    assert error["message"].startswith("Ogiltigt värde för") and error["debug"].startswith("Invalid")


def test_a_page_past_the_end_and_an_unknown_path_are_404_json(client, posted):
    for url in (f"{ROOT}body/1/meeting?page=9", f"{ROOT}ingenting", f"{ROOT}meeting/999999", f"{ROOT}body/2"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json()["type"] == ERROR and response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("kind", ["meeting", "agendaitem", "file", "person", "paper", "organization", "protocol"])
def test_an_id_too_large_for_the_database_is_404(client, posted, kind):
    response = client.get(f"{ROOT}{kind}/{10**30}")
    assert response.status_code == 404 and response.json()["type"] == ERROR


def test_filters_accept_an_offset_sent_without_url_encoding(client, posted):
    response = client.get(f"{ROOT}body/1/meeting?modified_since=2000-01-01T00:00:00+01:00")
    assert response.status_code == 200 and len(response.json()["data"]) == 1


def test_modified_and_created_filters(client, posted):
    now = timezone.localtime()
    later = quote((now + dt.timedelta(hours=1)).isoformat(timespec="seconds"))
    earlier = quote((now - dt.timedelta(hours=1)).isoformat(timespec="seconds"))
    for name in ("body/1/meeting", "body/1/agendaitem", "body/1/paper", "body/1/person", "body/1/file"):
        assert client.get(f"{ROOT}{name}?modified_since={later}").json()["data"] == [], name
        assert client.get(f"{ROOT}{name}?created_until={earlier}").json()["data"] == [], name
    assert len(client.get(f"{ROOT}body/1/meeting?modified_since={earlier}").json()["data"]) == 1
    assert len(client.get(f"{ROOT}body/1/agendaitem?modified_until={later}").json()["data"]) == 3


def test_pages_link_first_prev_next_last_and_keep_the_filters(client, posted, organ):
    for i in range(5):
        f.member(organ, f"Ledamot {i}", "S")
    total = m.Person.objects.filter(memberships__isnull=False).distinct().count()
    url = f"{ROOT}body/1/person?limit=2&modified_since=2000-01-01T00%3A00%3A00%2B01%3A00"
    first = client.get(url).json()
    assert first["pagination"] == {
        "totalElements": total,
        "elementsPerPage": 2,
        "currentPage": 1,
        "totalPages": (total + 1) // 2,
    }
    links = first["links"]
    assert "prev" not in links and links["next"].endswith("&page=2")
    assert "limit=2" in links["next"] and "modified_since=2000-01-01T00%3A00%3A00%2B01%3A00" in links["next"]
    seen = [p["id"] for p in first["data"]]
    page = first
    while "next" in page["links"]:
        page = client.get(page["links"]["next"].removeprefix("https://protokoll.example.se")).json()
        assert page["links"]["prev"]
        seen += [p["id"] for p in page["data"]]
    assert page["links"]["self"] == links["last"]
    assert len(seen) == len(set(seen)) == total


def test_omit_internal_leaves_out_the_embedded_lists(client, posted):
    meeting = client.get(f"{ROOT}body/1/meeting?omit_internal=true").json()["data"][0]
    assert "agendaItem" not in meeting
    assert "agendaItem" in client.get(f"{ROOT}body/1/meeting").json()["data"][0]


def test_read_only_head_and_preflight(client, meeting_url):
    post = client.post(meeting_url, {})
    assert post.status_code == 405 and post.json()["type"] == ERROR
    head = client.head(meeting_url)
    assert head.status_code == 200 and head["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(meeting_url, HTTP_ORIGIN="https://example.org")
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*" and "GET" in preflight["Access-Control-Allow-Methods"]
