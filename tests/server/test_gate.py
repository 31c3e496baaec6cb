"""The handler gate: a few threads per worker, one sender at a time, in arrival order."""

from __future__ import annotations

import asyncio
import threading
import time

from server.gate import HandlerGate, KeyedLocks


def test_a_senders_messages_run_one_at_a_time_in_arrival_order_and_others_are_not_held_up() -> None:
    gate = HandlerGate(threads=3)
    running: dict[str, int] = {}
    most: dict[str, int] = {}
    order: list[tuple[str, int]] = []
    guard = threading.Lock()
    busy = 0
    most_busy = 0

    def work(key: str, n: int) -> int:
        nonlocal busy, most_busy
        with guard:
            running[key] = running.get(key, 0) + 1
            most[key] = max(most.get(key, 0), running[key])
            busy += 1
            most_busy = max(most_busy, busy)
            order.append((key, n))
        time.sleep(0.01)
        with guard:
            running[key] -= 1
            busy -= 1
        return n

    async def main() -> list[int]:
        calls = [gate.run(key, work, key, n) for n in range(6) for key in ("burst", "a", "b", "c")]
        results = await asyncio.gather(*calls)
        assert gate.waiting() == 0  # nothing kept once everyone is served
        return results

    results = asyncio.run(main())
    assert results == [n for n in range(6) for _ in range(4)]
    assert max(most.values()) == 1  # never two of one sender's messages at once
    assert most_busy == 3  # never more threads than configured, and all of them used
    for key in ("burst", "a", "b", "c"):
        assert [n for k, n in order if k == key] == list(range(6))  # arrival order


def test_the_thread_lock_table_keeps_no_sender_once_its_messages_are_done() -> None:
    locks = KeyedLocks()
    inside: list[int] = []

    def use(n: int) -> None:
        with locks.hold("same"):
            inside.append(n)
            time.sleep(0.005)
            inside.append(n)

    threads = [threading.Thread(target=use, args=(n,)) for n in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(inside[i] == inside[i + 1] for i in range(0, len(inside), 2))  # never interleaved
    assert len(locks) == 0


def test_a_cancelled_callers_work_still_ends_before_the_same_senders_next_message_starts() -> None:
    gate = HandlerGate(threads=2)
    events: list[str] = []

    def work(name: str, seconds: float) -> str:
        events.append(f"{name} start")
        time.sleep(seconds)
        events.append(f"{name} end")
        return name

    async def main() -> str:
        first = asyncio.ensure_future(gate.run("same", work, "first", 0.1))
        await asyncio.sleep(0.02)  # the first message is on its thread
        first.cancel()  # its client went away
        second = await gate.run("same", work, "second", 0)
        assert first.cancelled()
        assert gate.waiting() == 0
        return second

    assert asyncio.run(main()) == "second"
    assert events == ["first start", "first end", "second start", "second end"]
