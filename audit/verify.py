"""Re-computing the chains, from the database or from an evidence bundle offline."""
from __future__ import annotations

import json
import zipfile

from django.db import connection
from django.utils.translation import gettext_lazy as _

from audit.chain import HASHED_FIELDS, ChainBroken, ChainWalker
from audit.models import AuditChain, AuditEvent

__all__ = ["ChainBroken", "audit_verify", "bundle_verify", "problem_text"]

PROBLEM_TEXTS = {
    "missing": _("an event before it is missing"),
    "out_of_order": _("it is out of order"),
    "unlinked": _("it does not carry the hash of the event before it"),
    "changed": _("its content was changed after it was written"),
    "head": _("the chain's recorded head is not where its events end (events removed or added at the end)"),
}

_COLUMNS = ("id", "hash", *HASHED_FIELDS)


def problem_text(code: str) -> str:
    return str(PROBLEM_TEXTS.get(code, code))


def _chain_rows(chain: int):
    queryset = AuditEvent.objects.filter(chain=chain).order_by("seq").values_list(*_COLUMNS)
    # A server-side cursor on PostgreSQL: ten million rows stream without being held in memory.
    for row in queryset.iterator(chunk_size=20_000):
        yield dict(zip(_COLUMNS, row))


def _chains(commune_slug: str | None) -> list[AuditChain]:
    heads = AuditChain.objects.order_by("chain")
    if commune_slug:
        from roles.models import Commune

        commune = Commune.objects.filter(slug=commune_slug).first()
        if commune is None:
            raise LookupError(_("There is no commune “%(slug)s”.") % {"slug": commune_slug})
        heads = heads.filter(chain=commune.pk)
    return list(heads)


def audit_verify(*, commune_slug: str | None = None) -> int:
    """Check every chain (or one commune's); returns the number of events checked."""
    heads = _chains(commune_slug)
    if connection.vendor == "postgresql":
        from audit.verify_pg import chains_verify

        low, high = (heads[0].chain, heads[0].chain) if commune_slug and heads else (-(2**62), 2**62)
        if commune_slug and not heads:
            return 0
        return chains_verify(heads={head.chain: (head.seq, head.head_hash) for head in heads}, low=low, high=high)
    checked = 0
    known = {head.chain for head in heads}
    if not commune_slug:
        stray = AuditEvent.objects.exclude(chain__in=known).order_by("chain", "seq").first()
        if stray is not None:
            raise ChainBroken(chain=stray.chain, seq=stray.seq, event_id=stray.pk, problem="head")
    for head in heads:
        walker = ChainWalker(chain=head.chain)
        for values in _chain_rows(head.chain):
            walker.feed(values)
        walker.finish(head_seq=head.seq, head_hash=head.head_hash)
        checked += walker.count
    return checked


def bundle_verify(*, path: str) -> int:
    """Check an evidence bundle offline: see audit/bundle.py for what its proof.json holds."""
    with zipfile.ZipFile(path) as archive:
        proof = json.loads(archive.read("proof.json"))
    return proof_verify(proof=proof)


def proof_verify(*, proof: dict) -> int:
    """Every event in full is re-hashed; the links between them and up to the head are followed."""
    checked = 0
    for segment in proof["chains"]:
        walker = ChainWalker(chain=segment["chain"], start_seq=segment["from_seq"], start_prev=segment["from_prev_hash"])
        for link in segment["links"]:
            if "event" in link:
                walker.feed(link["event"])
            else:
                walker.feed({"id": None, **link}, recompute=False)
        walker.finish(head_seq=segment["head_seq"], head_hash=segment["head_hash"])
        checked += sum(1 for link in segment["links"] if "event" in link)
    return checked
