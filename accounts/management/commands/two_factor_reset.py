from django.core.management.base import BaseCommand, CommandError

from accounts.twofactor import two_factor_reset
from roles.models import User


class Command(BaseCommand):
    help = ("Remove a person's two-factor devices (authenticator app and backup codes), e.g. after a lost phone; "
            "they set it up again at their next sign-in.")

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, **options):
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No person with the username {options['username']!r}.")
        removed = two_factor_reset(user=user)
        self.stdout.write(f"{user.username}: {removed} device(s) removed; two-factor set-up at next sign-in.")
