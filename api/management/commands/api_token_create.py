"""python manage.py api_token_create --user USERNAME --name NAME: a new API key, printed once."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from api.services import api_token_create
from roles.models import User


def person_get(username: str, *, option: str) -> User:
    try:
        return User.objects.get(username=username)
    except User.DoesNotExist:
        raise CommandError(f"{option}: không có người dùng / no such user: {username!r}") from None


class Command(BaseCommand):
    help = "Create an API key acting as a person (or service account); the key is printed once and never again."

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="username the key acts as; the key sees what they see")
        parser.add_argument("--name", required=True, help="what the key is for, e.g. the system that uses it")
        parser.add_argument("--created-by", default="", help="username of the person creating it (for the audit)")

    def handle(self, *args, **options):
        user = person_get(options["user"], option="--user")
        created_by = person_get(options["created_by"], option="--created-by") if options["created_by"] else None
        try:
            new = api_token_create(user=user, name=options["name"], created_by=created_by)
        except ValidationError as invalid:
            raise CommandError(" ".join(invalid.messages)) from None
        self.stdout.write(f"Khóa API / API key #{new.token.pk} “{new.token.name}” → {user.username}")
        self.stdout.write("Chỉ hiện một lần, hãy lưu ngay / shown only once, store it now:")
        self.stdout.write(new.key)
