"""Fairness between users: a token bucket per user, and updates in order per user.

Updates are processed concurrently, but one user's updates one after another, in
the order they came. A flooding user is cut off when they arrive, before they take
a place in the queue or reach Rasa, so they cannot slow anybody else down.
"""

from __future__ import annotations

import asyncio
import enum
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from telegram.ext import BaseUpdateProcessor

DEFAULT_BURST = 5
DEFAULT_PER_SECONDS = 10.0


class Verdict(enum.Enum):
    """What to do with a user's next update."""

    ANSWER = "answer"
    SLOW_DOWN = "slow_down"  # the first one over the limit: say so, once
    DROP = "drop"  # the rest, until the bucket refills


@dataclass
class _Bucket:
    tokens: float
    updated: float
    warned: bool = False


class UserRateLimit:
    """A token bucket per pseudonymous user key: `burst` updates, refilled over `per_seconds`."""

    def __init__(self, burst: int = DEFAULT_BURST, per_seconds: float = DEFAULT_PER_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        """Allow `burst` updates at once and `burst` per `per_seconds` on average."""
        self.capacity = float(burst)
        self.rate = burst / per_seconds
        self.clock = clock
        self._buckets: dict[str, _Bucket] = {}

    def take(self, key: str) -> Verdict:
        """Spend one token of this user's bucket, if there is one."""
        now = self.clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) > 10_000:
                self.prune()
            bucket = self._buckets[key] = _Bucket(self.capacity, now)
        bucket.tokens = min(self.capacity, bucket.tokens + (now - bucket.updated) * self.rate)
        bucket.updated = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            bucket.warned = False
            return Verdict.ANSWER
        if not bucket.warned:
            bucket.warned = True
            return Verdict.SLOW_DOWN
        return Verdict.DROP

    def prune(self) -> int:
        """Forget the buckets that have refilled (they behave like new ones); return how many."""
        now = self.clock()
        full = [key for key, b in self._buckets.items()
                if b.tokens + (now - b.updated) * self.rate >= self.capacity]
        for key in full:
            del self._buckets[key]
        return len(full)

    def forget(self, key: str) -> None:
        """Drop one user's bucket."""
        self._buckets.pop(key, None)

    def holds(self, key: str) -> bool:
        """Tell whether a bucket exists for this user."""
        return key in self._buckets


@dataclass
class _Lane:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    users: int = 0


class PerUserOrder(BaseUpdateProcessor):
    """Process updates concurrently, each user's in order; drop the ones `admit` refuses.

    `admit(update)` returns the user's lane (their pseudonymous key) or None to drop
    the update. It runs as each update arrives, in arrival order.
    """

    def __init__(self, admit: Callable[[object], str | None], max_concurrent_updates: int = 256) -> None:
        """Use `admit` to sort updates into lanes."""
        super().__init__(max_concurrent_updates)
        self._admit = admit
        self._lanes: dict[str, _Lane] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Wait for the user's earlier updates, then process this one."""
        lane_key = self._admit(update)
        if lane_key is None:
            if asyncio.iscoroutine(coroutine):
                coroutine.close()  # never started: nothing to clean up
            return
        lane = self._lanes.setdefault(lane_key, _Lane())
        lane.users += 1
        try:
            async with lane.lock:
                await coroutine
        finally:
            lane.users -= 1
            if lane.users == 0:
                del self._lanes[lane_key]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to free."""

    @property
    def busy_lanes(self) -> int:
        """How many users have updates being processed or waiting (for tests)."""
        return len(self._lanes)
