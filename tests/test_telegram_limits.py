"""The per-user token bucket and the per-user ordering of concurrent updates."""

from __future__ import annotations

import asyncio

from bot.telegram_limits import PerUserOrder, UserRateLimit, Verdict


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_burst_then_one_slow_down_then_silence_until_the_bucket_refills() -> None:
    clock = Clock()
    limits = UserRateLimit(burst=5, per_seconds=10, clock=clock)
    verdicts = [limits.take("a") for _ in range(8)]
    assert verdicts == [Verdict.ANSWER] * 5 + [Verdict.SLOW_DOWN] + [Verdict.DROP] * 2
    assert limits.take("b") is Verdict.ANSWER  # another user is not affected
    clock.now += 1.0  # half a token back: still silent
    assert limits.take("a") is Verdict.DROP
    clock.now += 1.5  # a whole token
    assert limits.take("a") is Verdict.ANSWER
    assert limits.take("a") is Verdict.SLOW_DOWN  # over again: warned again, once
    clock.now += 10
    assert [limits.take("a") for _ in range(5)] == [Verdict.ANSWER] * 5


def test_refilled_buckets_are_pruned_and_forget_drops_one() -> None:
    clock = Clock()
    limits = UserRateLimit(clock=clock)
    limits.take("a")
    limits.take("b")
    limits.forget("a")
    assert not limits.holds("a") and limits.holds("b")
    clock.now += 60
    assert limits.prune() == 1 and not limits.holds("b")


def test_updates_of_one_user_run_in_order_others_run_alongside_dropped_never_run() -> None:
    async def scenario() -> None:
        order = PerUserOrder(lambda u: None if u[1] == "drop" else u[0], max_concurrent_updates=64)
        log: list[str] = []
        gate = asyncio.Event()

        async def work(name: str, wait: bool) -> None:
            log.append(f"start {name}")
            if wait:
                await gate.wait()
            log.append(f"end {name}")

        updates = [("a", "a1", True), ("a", "a2", False), ("a", "drop", False), ("b", "b1", False)]
        tasks = [asyncio.ensure_future(order.process_update((user, name), work(name, wait)))
                 for user, name, wait in updates]
        await asyncio.sleep(0.05)
        # a1 waits; a2 waits behind it; b1 is done already; the dropped one never ran.
        assert log == ["start a1", "start b1", "end b1"]
        gate.set()
        await asyncio.gather(*tasks)
        assert log[3:] == ["end a1", "start a2", "end a2"]
        assert order.busy_lanes == 0

    asyncio.run(scenario())
