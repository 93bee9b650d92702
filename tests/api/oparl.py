"""A small OParl client for the tests: the official OParl 1.1 schemas (schema/, from the OParl
specification, CC BY-SA 4.0: schema/README.md) and a walker that reads the whole API from the
System object. Not a test module, so any test module may import it."""

from __future__ import annotations

import copy
import json
import re
from collections import deque
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

from django.conf import settings
from jsonschema import Draft202012Validator, FormatChecker

SCHEMA_DIR = Path(__file__).parent / "schema"
OPARL = "https://schema.oparl.org/1.1/"
ROOT_PATH = "/api/oparl/1.1/"

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# OParl 2.4: yyyy-mm-ddThh:mm:ss±hh:mm
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$")

FORMATS = FormatChecker()


@FORMATS.checks("url")
def _is_url(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


@FORMATS.checks("date")
def _is_date(value: object) -> bool:
    return not isinstance(value, str) or bool(_DATE.match(value))


@FORMATS.checks("date-time")
def _is_date_time(value: object) -> bool:
    return not isinstance(value, str) or bool(_DATE_TIME.match(value))


@cache
def schema(name: str) -> dict:
    return json.loads((SCHEMA_DIR / f"{name}.json").read_text())


def api_root() -> str:
    return settings.SITE_URL + ROOT_PATH


def validate(obj: dict, expected: str | None = None) -> list[str]:
    """Every schema violation of ``obj`` and of the objects it embeds (the schemas name an embedded
    object's schema in a "schema" key, which JSON Schema itself does not follow), as messages. A
    deleted object needs only what OParl 2.8 keeps: id, type, created, modified and deleted."""
    kind = str(obj.get("type", "")).removeprefix(OPARL)
    if expected is not None and kind != expected:
        return [f"{obj.get('id')}: type {obj.get('type')!r}, expected {expected}"]
    if not (SCHEMA_DIR / f"{kind}.json").exists():
        return [f"{obj.get('id')}: unknown type {obj.get('type')!r}"]
    definition = schema(kind)
    if obj.get("deleted") is True:
        definition = copy.deepcopy(definition)
        definition["required"] = ["id", "type", "created", "modified", "deleted"]
    errors = [
        f"{obj.get('id')} ({kind}) {'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in Draft202012Validator(definition, format_checker=FORMATS).iter_errors(obj)
    ]
    for name, spec in definition["properties"].items():
        inner = spec.get("schema") or (spec.get("items") or {}).get("schema")
        value = obj.get(name)
        if not inner or not str(inner).endswith(".json") or value is None or spec.get("references") == "externalList":
            continue
        for child in value if isinstance(value, list) else [value]:
            if isinstance(child, dict):
                errors += validate(child, inner.removesuffix(".json"))
    return errors


def objects(obj: dict) -> list[dict]:
    """``obj`` and every OParl object embedded in it."""
    found = [obj]
    for value in obj.values():
        for child in value if isinstance(value, list) else [value]:
            if isinstance(child, dict) and str(child.get("type", "")).startswith(OPARL):
                found += objects(child)
    return found


def _urls(value: object) -> list[str]:
    if isinstance(value, str):
        return [value] if value.startswith(api_root()) else []
    if isinstance(value, dict):
        return [url for v in value.values() for url in _urls(v)]
    if isinstance(value, list):
        return [url for v in value for url in _urls(v)]
    return []


@dataclass
class Walk:
    """What a walk of the whole API read: each URL's answer, every object by type, and the problems."""

    bodies: dict[str, str] = field(default_factory=dict)
    by_type: dict[str, list[dict]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.bodies.values())


def walk(client, limit: int = 2000) -> Walk:
    """Read the API from the System object, following every URL under the API's root in every
    answer (ids, references, list pages); fail on nothing, record every problem: a link that does
    not answer 200 with JSON, a schema violation, an object whose id does not answer with it."""
    result = Walk()
    queue = deque([api_root()])
    seen = {api_root()}
    while queue and len(seen) <= limit:
        url = queue.popleft()
        response = client.get(url.removeprefix(settings.SITE_URL))
        if response.status_code != 200 or not response["Content-Type"].startswith("application/json"):
            result.problems.append(f"broken link {url}: {response.status_code}")
            continue
        body = response.content.decode()
        result.bodies[url] = body
        data = json.loads(body)
        if "data" in data:
            if "pagination" not in data or "links" not in data:
                result.problems.append(f"{url}: a list without pagination or links")
            items = data["data"]
        else:
            items = [data]
            if data.get("id") != url:
                result.problems.append(f"{url} answers with id {data.get('id')}")
        for item in items:
            result.problems += validate(item)
            for obj in objects(item):
                result.by_type.setdefault(obj["type"].removeprefix(OPARL), []).append(obj)
        for link in _urls(data):
            link = urldefrag(link).url
            if link not in seen:
                seen.add(link)
                queue.append(link)
    if queue:
        result.problems.append(f"more than {limit} URLs")
    return result
