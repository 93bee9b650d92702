"""Rendering never fetches a URL or reads a file named by the content of a protokoll."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator

import pytest

from meetings import models as m
from meetings.export import render
from meetings.export.document import load_meeting
from meetings.export.fetcher import StaticOnlyURLFetcher
from tests import factories as f
from tests.helpers import page_texts


class _RecordingHandler(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    """A tiny HTTP server on 127.0.0.1 that records every request it gets."""
    requests: list[str] = []
    handler = type("Handler", (_RecordingHandler,), {"requests": requests})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", requests
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def secret_file(tmp_path) -> str:
    path = tmp_path / "hemlig.txt"
    path.write_text("HEMLIGT-INNEHALL-7c1e")
    return path.as_uri()


@pytest.fixture
def fetched(monkeypatch) -> list[tuple[str, bool]]:
    """Every URL WeasyPrint asks the fetcher for, and whether it was served."""
    calls: list[tuple[str, bool]] = []
    original = StaticOnlyURLFetcher.fetch

    def spy(self, url, headers=None):
        try:
            response = original(self, url, headers)
        except Exception:
            calls.append((url, False))
            raise
        calls.append((url, True))
        return response

    monkeypatch.setattr(StaticOnlyURLFetcher, "fetch", spy)
    return calls


def _attacks(base: str, secret: str) -> list[str]:
    return [
        f'<img src="{base}/html-img.png"><link rel="stylesheet" href="{base}/html-link.css">',
        f'<style>@import url("{base}/css-import.css"); body {{ background: url("{base}/css-bg.png") }}</style>',
        f'<div style="background-image: url({base}/inline-style.png)">x</div>',
        f"![bild]({base}/markdown.png) [länk]({secret})",
        f'<iframe src="{secret}"></iframe><object data="file:///etc/passwd"></object><img src="{secret}">',
        '<svg><image href="file:///etc/passwd"/></svg>',
    ]


def test_user_text_is_escaped_and_nothing_is_fetched(organ, server, secret_file, fetched):
    base, requests = server
    attacks = _attacks(base, secret_file)
    meeting = f.meeting(organ, diarienummer="KS 2026/666", place=attacks[0])
    p = f.paragraph(meeting, title=attacks[1], dnr="KS 2026/1", summary="\n\n".join(attacks), basis=attacks[2])
    m.DecisionClause.objects.create(paragraph=p, position=1, text=attacks[4])

    text = " ".join(page_texts(render.render_pdf(load_meeting(meeting.pk))))

    assert requests == []
    assert all(url.startswith(("protokoll-static:", "data:")) for url, served in fetched if served)
    assert "HEMLIGT-INNEHALL" not in text
    assert "root:x:0:0" not in text
    # The markup is shown as the text the secretary typed.
    assert f'<img src="{base}/html-img.png">' in text
    assert "@import url(" in text
    assert f"![bild]({base}/markdown.png)" in text


def test_raw_markup_cannot_fetch_either(server, secret_file, fetched):
    """Second line of defence: even unescaped HTML and CSS get nothing but the bundled files."""
    base, requests = server
    html = (
        '<html lang="sv"><head><style>@font-face { font-family: X; src: url("protokoll-static:fonts/'
        'LiberationSans-Regular.ttf") } body { font-family: X }</style>'
        + "".join(_attacks(base, secret_file))
        + f'<link rel="stylesheet" href="https://127.0.0.1:{base.rsplit(":", 1)[1]}/tls.css">'
        + '<img src="protokoll-static:../manage.py"><img src="protokoll-static:fonts/../../manage.py">'
        + '<img src="protokoll-static:/etc/passwd"><img src="ftp://127.0.0.1/x">'
        + f'<img src="{secret_file.replace("file://", "")}">'
        + "</head><body>Hej</body></html>"
    )
    render.html_to_pdf(html)

    assert requests == []
    served = [url for url, ok in fetched if ok]
    refused = [url for url, ok in fetched if not ok]
    assert served == ["protokoll-static:fonts/LiberationSans-Regular.ttf"]
    assert any(url.startswith("http:") for url in refused)
    assert any(url.startswith("https:") for url in refused)
    assert any(url.startswith("file:") for url in refused)
    assert any("manage.py" in url for url in refused)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/x.png",
        "https://example.com/x.css",
        "file:///etc/passwd",
        "FILE:///etc/passwd",
        "ftp://127.0.0.1/x",
        "gopher://127.0.0.1/x",
        "protokoll-static:../manage.py",
        "protokoll-static:fonts/../../manage.py",
        "protokoll-static:%2e%2e/manage.py",
        "protokoll-static:/etc/passwd",
        "protokoll-static:fonts/does-not-exist.ttf",
    ],
)
def test_the_fetcher_refuses(url):
    with pytest.raises(ValueError):
        StaticOnlyURLFetcher().fetch(url)


def test_the_fetcher_serves_bundled_files_and_data_uris():
    fetcher = StaticOnlyURLFetcher()
    font = fetcher.fetch("protokoll-static:fonts/LiberationSans-Bold.ttf")
    assert font.read(4) == b"\x00\x01\x00\x00"
    assert fetcher.fetch("data:text/plain;base64,SGVq").read() == b"Hej"
