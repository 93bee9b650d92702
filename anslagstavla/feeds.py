"""The Atom feed of the anslagstavla: the newest published anslag (posted on or before today)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from meetings import models as m

FEED_SIZE = 50


def anslag_title(anslag: m.Anslag) -> str:
    """ "Kommunstyrelsens arbetsutskott 2026-03-10, §§ 12–15": organ, meeting and paragraphs."""
    return f"{anslag.organ.name} {anslag.meeting.date:%Y-%m-%d}, {anslag.paragraphs_label}"


class AnslagFeed(Feed):
    feed_type = Atom1Feed
    description_template = "public/feed_item.html"

    def title(self) -> str:
        municipality = settings.MUNICIPALITY_NAME
        return f"Anslagstavla – {municipality}" if municipality else "Anslagstavla"

    def subtitle(self) -> str:
        return "Tillkännagivanden om justerade protokoll, med sista dag för överklagande."

    def link(self) -> str:
        return reverse("public_board")

    def feed_url(self) -> str:
        return reverse("public_feed")

    def items(self) -> QuerySet[m.Anslag]:
        today = timezone.localdate()
        return (
            m.Anslag.objects.published(today)
            .select_related("organ", "meeting")
            .order_by("-posted_on", "-id")[:FEED_SIZE]
        )

    def item_title(self, item: m.Anslag) -> str:
        return anslag_title(item)

    def item_pubdate(self, item: m.Anslag) -> datetime.datetime:
        # The legal date is the day it was put up; midnight local time says that and no more.
        return timezone.make_aware(datetime.datetime.combine(item.posted_on, datetime.time.min))

    def item_updateddate(self, item: m.Anslag) -> datetime.datetime:
        return self.item_pubdate(item)

    def item_author_name(self, item: m.Anslag) -> str:
        return item.organ.name
