"""What is kept about a user, and for how long: Rasa's tracker store and the prefs store."""

from __future__ import annotations

import asyncio

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.prefs import Prefs, PrefsStore
from bot.tracker_store import RetentionTrackerStore


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def _tracker(sender: str, text: str) -> DialogueStateTracker:
    return DialogueStateTracker.from_events(sender, [UserUttered(text)])


def test_conversation_is_kept_then_dropped_after_retention() -> None:
    clock = Clock()
    store = RetentionTrackerStore(Domain.empty(), retention_hours=24, clock=clock)

    async def scenario() -> None:
        await store.save(_tracker("u1", "CANARY-1"))
        assert (await store.retrieve("u1")) is not None
        clock.now += 23 * 3600
        assert (await store.retrieve("u1")) is not None
        clock.now += 2 * 3600
        assert (await store.retrieve("u1")) is None
        assert "CANARY-1" not in repr(store.store)

    asyncio.run(scenario())


def test_purge_removes_every_expired_conversation() -> None:
    clock = Clock()
    store = RetentionTrackerStore(Domain.empty(), retention_hours="1", clock=clock)

    async def scenario() -> None:
        await store.save(_tracker("old", "a"))
        clock.now += 3000
        await store.save(_tracker("new", "b"))
        clock.now += 1000  # old: 4000 s idle, new: 1000 s
        assert store.purge_expired(force=True) == 1
        assert list(await store.keys()) == ["new"]

    asyncio.run(scenario())


def test_replacing_events_with_nothing_forgets_the_conversation() -> None:
    store = RetentionTrackerStore(Domain.empty())

    async def scenario() -> None:
        await store.save(_tracker("u1", "CANARY-2"))
        await store.save(DialogueStateTracker.from_events("u1", []))
        assert "u1" not in store.store and "u1" not in store.last_seen

    asyncio.run(scenario())


def test_prefs_expire_and_forget(tmp_path) -> None:
    clock = Clock()
    prefs = PrefsStore(tmp_path / "state.db", retention_hours=24, clock=clock)
    prefs.put("k1", Prefs(chosen_language="ar"))
    prefs.put("k2", Prefs(guessed_language="fr"))
    assert prefs.get("k1").chosen_language == "ar"
    prefs.forget("k1")
    assert not prefs.holds("k1") and prefs.get("k1") == Prefs()
    clock.now += 25 * 3600
    assert prefs.get("k2") == Prefs()  # expired, even before the purge ran
    assert prefs.purge_expired() == 1
    assert not prefs.holds("k2")


def test_a_token_that_looks_like_an_option_reaches_rasa_as_a_token() -> None:
    from pathlib import Path

    from bot.processes import rasa_service

    service = rasa_service("python", 5005, 5055, "-starts-with-a-dash", Path("m.tar.gz"), 24)
    assert "--auth-token=-starts-with-a-dash" in service.argv
