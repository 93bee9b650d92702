"""Queue the periodic work: archive taken-down protokoll, remind signers before the justering
deadline, retry e-mail that is due, queue again renders that were lost or failed
(``meetings.tasks.run_periodic``). Run it from cron, e.g. every
15 minutes; every step is idempotent, so running it more often only costs a few queries.
"""

from django.core.management.base import BaseCommand

from meetings.tasks import enqueue, run_periodic


class Command(BaseCommand):
    help = "Köar det periodiska arbetet: arkivering, påminnelser om justering, nya försök med e-post och renderingar."

    def handle(self, *args, **options) -> None:
        result = enqueue(run_periodic)
        if result.is_finished:
            self.stdout.write(f"{result.status}: {result.return_value if result.status == 'SUCCESSFUL' else ''}")
        else:
            self.stdout.write(f"Köat ({result.id}).")
