"""The canonical form of an event and its hash. Pure Python: an evidence bundle is checked with it offline.

An event's hash is SHA-256 over the UTF-8 JSON array of HASHED_FIELDS in this order (keys of the
objects sorted, no spaces, `at` as ISO 8601 in UTC with microseconds), ending with the previous
event's hash. The first event of a chain follows GENESIS.
"""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone

try:  # the same bytes as the standard library's compact sorted JSON, ten times faster
    import orjson
except ImportError:  # pragma: no cover - an offline checker without orjson still works
    orjson = None

GENESIS = "0" * 64

HASHED_FIELDS = (
    "chain", "seq", "at", "kind", "object_type", "object_id", "commune_id", "actor_id", "actor_name",
    "post_id", "post_title", "unit_id", "unit_name", "ip", "plan_id", "task_id", "occurrence_id", "case_id",
    "period_key", "before", "after", "detail", "reason", "prev_hash",
)


def at_text(value: datetime | str) -> str:
    if isinstance(value, str):
        return value
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def event_canonical(values: dict) -> bytes:
    row = [at_text(values["at"]) if name == "at" else values[name] for name in HASHED_FIELDS]
    if orjson is not None:
        return orjson.dumps(row, option=orjson.OPT_SORT_KEYS)
    return json.dumps(row, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def event_hash(values: dict) -> str:
    return hashlib.sha256(event_canonical(values)).hexdigest()


# Why a chain does not verify: an event is missing before this one, two events share a place, this
# event does not carry the previous one's hash, its content no longer gives its hash, or the chain's
# recorded head is not where the events end (the last events were removed, or one was appended).
PROBLEMS = ("missing", "out_of_order", "unlinked", "changed", "head")


class ChainBroken(Exception):
    def __init__(self, *, chain: int, seq: int, event_id, problem: str):
        self.chain, self.seq, self.event_id, self.problem = chain, seq, event_id, problem
        super().__init__(f"chain {chain}, event seq {seq} (id {event_id}): {problem}")


class ChainWalker:
    """Checks events of one chain fed in seq order; raises ChainBroken at the first that does not fit."""

    def __init__(self, *, chain: int, start_seq: int = 1, start_prev: str = GENESIS):
        self.chain, self.expected_seq, self.prev = chain, start_seq, start_prev
        self.count = 0

    def feed(self, values: dict, *, recompute: bool = True) -> None:
        seq, event_id = values["seq"], values.get("id")
        if seq != self.expected_seq:
            problem = "missing" if seq > self.expected_seq else "out_of_order"
            raise ChainBroken(chain=self.chain, seq=seq, event_id=event_id, problem=problem)
        if values["prev_hash"] != self.prev:
            raise ChainBroken(chain=self.chain, seq=seq, event_id=event_id,
                              problem="unlinked")
        if recompute and event_hash(values) != values["hash"]:
            raise ChainBroken(chain=self.chain, seq=seq, event_id=event_id, problem="changed")
        self.prev, self.expected_seq = values["hash"], seq + 1
        self.count += 1

    def finish(self, *, head_seq: int, head_hash: str) -> None:
        last = self.expected_seq - 1
        if last != head_seq or self.prev != (head_hash or GENESIS):
            raise ChainBroken(chain=self.chain, seq=last + 1 if last < head_seq else last, event_id=None,
                              problem="head")
