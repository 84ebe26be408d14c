"""verify_audit on PostgreSQL: stream each chain's rows straight off a server-side cursor and hash
them in as many processes as there are cores.

PostgreSQL writes `at` in the canonical text form and `ip` without its mask, so a row arrives as
the canonical array itself; the Python side only serialises and hashes. The chains are split into
contiguous ranges of about equal size, one per process, each read in (chain, seq) index order.
"""
from __future__ import annotations

import hashlib
import os
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

import orjson
import psycopg
from django.db import connection, transaction

from audit.chain import GENESIS, HASHED_FIELDS, ChainBroken

_EXPRESSIONS = {
    "at": """to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')""",
    "ip": "host(ip)",
}
# One text column per row, the canonical array as PostgreSQL writes JSON: decoding it and writing it
# back compact and sorted costs Python far less than converting twenty-five columns one by one.
_SELECT = ("SELECT id, hash, json_build_array(" + ", ".join(_EXPRESSIONS.get(name, name) for name in HASHED_FIELDS)
           + ")::text FROM audit_auditevent WHERE chain BETWEEN %s AND %s ORDER BY chain, seq")
PARALLEL_FROM = 200_000  # below this many events one process is quicker than starting others
_SORT = orjson.OPT_SORT_KEYS


def range_verify(*, low: int, high: int, heads: dict[int, tuple[int, str]], pg: psycopg.Connection) -> int:
    """Check the chains numbered low..high against their heads over the open connection `pg`, inside
    its transaction; raises ChainBroken at the first misfit."""
    checked, chain, expected, previous = 0, None, 1, GENESIS
    seen: set[int] = set()

    def chain_close() -> None:
        head_seq, head_hash = heads.get(chain, (0, ""))
        if expected - 1 != head_seq or previous != (head_hash or GENESIS):
            raise ChainBroken(chain=chain, seq=expected if expected - 1 < head_seq else expected - 1,
                              event_id=None, problem="head")

    with pg.cursor(name=f"audit_verify_{os.getpid()}") as cursor:
        cursor.itersize = 20_000
        cursor.execute(_SELECT, [low, high])
        for event_id, stored, text in cursor:
            canonical = orjson.loads(text)
            this_chain, seq, prev_hash = canonical[0], canonical[1], canonical[-1]
            if this_chain != chain:
                if chain is not None:
                    chain_close()
                chain, expected, previous = this_chain, 1, GENESIS
                seen.add(chain)
            if seq != expected:
                raise ChainBroken(chain=chain, seq=seq, event_id=event_id,
                                  problem="missing" if seq > expected else "out_of_order")
            if prev_hash != previous:
                raise ChainBroken(chain=chain, seq=seq, event_id=event_id, problem="unlinked")
            if hashlib.sha256(orjson.dumps(canonical, option=_SORT)).hexdigest() != stored:
                raise ChainBroken(chain=chain, seq=seq, event_id=event_id, problem="changed")
            previous, expected = stored, seq + 1
            checked += 1
        if chain is not None:
            chain_close()
    for empty in sorted(set(heads) - seen):
        if low <= empty <= high and heads[empty][0] > 0:
            raise ChainBroken(chain=empty, seq=1, event_id=None, problem="missing")
    return checked


def _ranges(heads: dict[int, tuple[int, str]], parts: int) -> list[tuple[int, int]]:
    """Contiguous chain ranges holding about the same number of events each."""
    total = sum(seq for seq, _hash in heads.values()) or 1
    ranges, start, running = [], None, 0
    for chain in sorted(heads):
        start = chain if start is None else start
        running += heads[chain][0]
        if running >= total * (len(ranges) + 1) / parts:
            ranges.append((start, chain))
            start = None
    if start is not None:
        ranges.append((start, max(heads)))
    return ranges


def _worker(low: int, high: int, heads: dict, params: dict) -> tuple[int, tuple | None]:
    # A connection of its own: whatever Django's handler holds after the fork belongs to the parent.
    try:
        with psycopg.connect(**params) as pg, pg.transaction():
            return range_verify(low=low, high=high, heads=heads, pg=pg), None
    except ChainBroken as broken:
        return 0, (broken.chain, broken.seq, broken.event_id, broken.problem)


def _plain_params() -> dict:
    """The connection settings a child can pass to psycopg.connect (no adapters, no classes)."""
    params = connection.get_connection_params()
    return {key: value for key, value in params.items() if isinstance(value, (str, int)) and key != "prepare_threshold"}


def chains_verify(*, heads: dict[int, tuple[int, str]], low: int, high: int) -> int:
    """All chains low..high, in parallel when there is enough to share."""
    inside = {chain: head for chain, head in heads.items() if low <= chain <= high}
    total = sum(seq for seq, _hash in inside.values())
    parts = min(os.cpu_count() or 1, max(1, len(inside)))
    if total < PARALLEL_FROM or parts == 1:
        with transaction.atomic():
            connection.ensure_connection()
            return range_verify(low=low, high=high, heads=inside, pg=connection.connection)
    ends = [end for _start, end in _ranges(inside, parts)][:-1]
    # Adjacent ranges cover low..high whole, so a chain with no recorded head is read too.
    ranges = list(zip([low] + [end + 1 for end in ends], ends + [high]))
    params = _plain_params()
    with ProcessPoolExecutor(max_workers=len(ranges), mp_context=get_context("fork")) as pool:
        results = list(pool.map(_worker, *zip(*[(a, b, inside, params) for a, b in ranges])))
    failures = sorted(failure for _count, failure in results if failure)
    if failures:
        chain, seq, event_id, problem = failures[0]
        raise ChainBroken(chain=chain, seq=seq, event_id=event_id, problem=problem)
    return sum(count for count, _failure in results)
