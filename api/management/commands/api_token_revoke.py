"""python manage.py api_token_revoke (--id ID | --user USERNAME --name NAME): stop API keys at once."""
from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from api.models import ApiToken
from api.services import api_token_revoke
from roles.models import User


class Command(BaseCommand):
    help = "Revoke an API key (by its number, or by its person and name); its next call gets 401."

    def add_arguments(self, parser):
        parser.add_argument("--id", type=int, help="the key's number, as api_token_create printed it")
        parser.add_argument("--user", default="", help="username the key acts as (with --name)")
        parser.add_argument("--name", default="", help="the key's name (with --user)")
        parser.add_argument("--revoked-by", default="", help="username of the person revoking it (for the audit)")

    def handle(self, *args, **options):
        tokens = ApiToken.objects.filter(revoked_at__isnull=True).select_related("user")
        if options["id"] is not None:
            tokens = tokens.filter(pk=options["id"])
        elif options["user"] and options["name"]:
            tokens = tokens.filter(user__username=options["user"], name=options["name"])
        else:
            raise CommandError("Cần --id, hoặc --user và --name / give --id, or --user and --name.")
        actor = None
        if options["revoked_by"]:
            actor = User.objects.filter(username=options["revoked_by"]).first()
            if actor is None:
                raise CommandError(f"--revoked-by: không có người dùng / no such user: {options['revoked_by']!r}")
        found = list(tokens)
        if not found:
            raise CommandError("Không có khóa API đang dùng nào khớp / no live API key matches.")
        for token in found:
            api_token_revoke(token=token, actor=actor)
            self.stdout.write(f"Đã thu hồi / revoked: #{token.pk} “{token.name}” → {token.user.username}")
