from django.core.management.base import BaseCommand, CommandError

from tasks.demo import DEMO_PASSWORD, demo_load


class Command(BaseCommand):
    help = "Load the demo communes (Thanh Miện, Trường Giang) with their plans and one login per role."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="delete the demo communes first and load them again")

    def handle(self, *args, **options):
        try:
            logins = demo_load(reset=options["reset"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("Tài khoản thử / demo logins (mật khẩu / password: %s)" % DEMO_PASSWORD)
        for username, role, commune in logins:
            self.stdout.write(f"  {username:<24} {role:<28} {commune}")
