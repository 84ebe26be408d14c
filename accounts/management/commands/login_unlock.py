from django.core.management.base import BaseCommand, CommandError

from accounts.lockout import login_unlock


class Command(BaseCommand):
    help = "Lift a sign-in lockout or slowdown early, for a username and/or a client address."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="")
        parser.add_argument("--address", default="")

    def handle(self, *args, **options):
        if not options["username"] and not options["address"]:
            raise CommandError("Give --username, --address or both.")
        cleared = login_unlock(username=options["username"], ip=options["address"])
        self.stdout.write(f"{cleared} counter(s) cleared.")
