from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from audit.verify import ChainBroken, audit_verify, bundle_verify, problem_text


class Command(BaseCommand):
    help = "Re-compute the audit hash chains; exit 1 at the first event that does not match."

    def add_arguments(self, parser):
        parser.add_argument("--commune", help="only this commune's chain (its slug)")
        parser.add_argument("--bundle", help="check an evidence bundle (.zip) offline instead of the database")

    def handle(self, *args, commune=None, bundle=None, **options):
        try:
            checked = bundle_verify(path=bundle) if bundle else audit_verify(commune_slug=commune)
        except ChainBroken as broken:
            self.stderr.write(_("The audit history does not match at chain %(chain)s, event %(seq)s (id %(id)s): "
                                "%(problem)s.") % {"chain": broken.chain, "seq": broken.seq,
                                                    "id": broken.event_id or "-", "problem": problem_text(broken.problem)})
            raise SystemExit(1)
        except LookupError as missing:
            raise CommandError(str(missing))
        self.stdout.write(_("%(count)d audit events checked; the chain is whole.") % {"count": checked})
