"""Load the demo data. Idempotent: a second run creates nothing."""

from django.conf import settings
from django.core.management.base import BaseCommand

from meetings.demo import DEMO_PASSWORD, USERS, Demo


class Command(BaseCommand):
    help = "Skapar demodata: seed-sammanträdet (KSAU 2021-11-22) och sammanträden relativt dagens datum."

    def handle(self, *args, **options) -> None:
        with_users = settings.DEBUG
        demo = Demo(with_users=with_users)
        demo.load()
        self.stdout.write(f"Demodata laddad ({demo.created} nya objekt).")
        if with_users:
            self.stdout.write(f"Demoanvändare (lösenord för alla: {DEMO_PASSWORD}):")
            for username, (person, superuser) in USERS.items():
                role = "administratör" if superuser else person
                self.stdout.write(f"  {username:<12} {role}")
        else:
            self.stderr.write("DEBUG är av: inga demoanvändare skapas.")
