"""A Rasa tracker store that keeps conversations in memory only, and not for long.

- A conversation is dropped `retention_hours` after its last message; expired ones are
  purged at most once a minute, whenever the store is used.
- A conversation whose events are replaced by an empty list (the `/forget` path:
  PUT /conversations/{id}/tracker/events with []) is deleted outright.

Nothing is written to disk.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker

PURGE_INTERVAL_SECONDS = 60.0


class RetentionTrackerStore(InMemoryTrackerStore):
    """In-memory conversations, forgotten after a retention period or on request."""

    def __init__(
        self,
        domain: Any,
        event_broker: Any = None,
        retention_hours: float | str = 24,
        clock: Callable[[], float] = time.time,
        **kwargs: Any,
    ) -> None:
        """Create the store; `retention_hours` may come from endpoints.yml as a string."""
        kwargs.pop("host", None)
        super().__init__(domain, event_broker, **kwargs)
        self.retention_seconds = float(retention_hours) * 3600.0
        self.clock = clock
        self.last_seen: dict[str, float] = {}
        self._last_purge = 0.0

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Save a conversation, or delete it when its events were replaced by nothing."""
        self.purge_expired()
        if len(tracker.events) == 0:
            self.forget(tracker.sender_id)
            return
        await super().save(tracker)
        self.last_seen[tracker.sender_id] = self.clock()

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """Return a conversation that has not expired."""
        self._expire(sender_id)
        return await super().retrieve(sender_id)

    async def retrieve_full_tracker(self, sender_id: str) -> DialogueStateTracker | None:
        """Return a whole conversation that has not expired."""
        self._expire(sender_id)
        return await super().retrieve_full_tracker(sender_id)

    async def keys(self) -> Iterable[str]:
        """The conversations held now."""
        self.purge_expired()
        return list(self.store.keys())

    def _expire(self, sender_id: str) -> None:
        self.purge_expired()
        seen = self.last_seen.get(sender_id)
        if seen is not None and self.clock() - seen > self.retention_seconds:
            self.forget(sender_id)

    def forget(self, sender_id: str) -> None:
        """Delete one conversation."""
        self.store.pop(sender_id, None)
        self.last_seen.pop(sender_id, None)

    def purge_expired(self, force: bool = False) -> int:
        """Delete conversations idle longer than the retention; return how many."""
        now = self.clock()
        if not force and now - self._last_purge < PURGE_INTERVAL_SECONDS:
            return 0
        self._last_purge = now
        expired = [key for key, seen in self.last_seen.items() if now - seen > self.retention_seconds]
        for key in expired:
            self.forget(key)
        return len(expired)
