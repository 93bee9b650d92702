"""When what the public may see changes: a generation number kept in the database.

Cached public pages (``protokoll.caching``) are keyed by ``generation()``. Posting an anslag, a
rättelse, a newly stored public version and archiving call ``bump()`` in their transaction; the
number in the database is the truth, so nothing rests on a cache being shared or on a message
reaching every server.

The number itself is read through the cache for ``settings.PUBLICATION_CACHE_SECONDS`` (2 s), so that
the public pages under load make no query at all, and ``bump()`` deletes it there when its
transaction commits. With a shared cache (Redis, ``CACHE_URL``) every server sees the change with its
next request; with the local-memory default, the other worker processes see it within those seconds.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.db.models.signals import post_save
from django.dispatch import receiver

from . import models as m

CACHE_KEY = "publication-generation"


def generation() -> int:
    value = cache.get(CACHE_KEY)
    if value is None:
        value = m.PublicationGeneration.objects.filter(pk=1).values_list("value", flat=True).first() or 0
        cache.set(CACHE_KEY, value, settings.PUBLICATION_CACHE_SECONDS)
    return value


def bump() -> None:
    """Call inside the transaction that changes what the public sees: the new number is visible
    exactly when the change is."""
    updated = m.PublicationGeneration.objects.filter(pk=1).update(value=F("value") + 1)
    if not updated:
        m.PublicationGeneration.objects.get_or_create(pk=1, defaults={"value": 1})
    transaction.on_commit(lambda: cache.delete(CACHE_KEY), robust=True)


@receiver(post_save, sender=m.Meeting)
def _announced_meeting_changed(sender, instance: m.Meeting, **kwargs) -> None:
    """The board shows the time and place of announced fullmäktige meetings (MeetingNotice): a change
    to such a meeting changes the board, whichever view or admin page saved it."""
    if m.MeetingNotice.objects.filter(meeting_id=instance.pk).exists():
        bump()
