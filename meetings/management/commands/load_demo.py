"""Load the demo data. Idempotent: a second run creates nothing."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from meetings.demo import DEMO_PASSWORD, USERS, Demo


class Command(BaseCommand):
    help = "Skapar demodata: seed-sammanträdet (KSAU 2021-11-22) och sammanträden relativt dagens datum."

    def handle(self, *args, **options) -> None:
        with_users = settings.DEBUG
        demo = Demo(with_users=with_users)
        # The demo's members have e-mail addresses (to try the kallelse); the justering rounds it
        # replays would mail them. Those mails are kept in memory and dropped, not sent or printed.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            demo.load()
        self.stdout.write(f"Demodata laddad ({demo.created} nya objekt).")
        if with_users:
            self.stdout.write(f"Demoanvändare (lösenord för alla: {DEMO_PASSWORD}):")
            for username, (person, superuser) in USERS.items():
                role = "administratör" if superuser else person
                self.stdout.write(f"  {username:<12} {role}")
        else:
            self.stderr.write("DEBUG är av: inga demoanvändare skapas.")
