"""Move protokoll whose anslag have been taken down from Anslaget to Arkiverat. Run daily from cron.

The public board filters by date on its own, so this only keeps the stored status in step.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from meetings.services.anslag import archive_expired


class Command(BaseCommand):
    help = "Arkiverar protokoll vars anslag har tagits ned."

    def handle(self, *args, **options) -> None:
        count = archive_expired(timezone.localdate())
        self.stdout.write(f"{count} protokoll arkiverade.")
