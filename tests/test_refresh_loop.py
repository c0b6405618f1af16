"""The refresh loop without a screen, on a clock the test moves."""

from __future__ import annotations

from snaptui.tui.refresh_loop import MAX_BACKOFF, MIN_INTERVAL, RefreshLoop
from tests.helpers import FakeClock


def loop_at(clock: FakeClock, interval: float = 2.0) -> RefreshLoop:
    return RefreshLoop(clock=clock, interval=interval)


def test_next_request_is_planned_only_after_the_answer() -> None:
    clock = FakeClock(0)
    loop = loop_at(clock)
    assert loop.start()
    assert not loop.start()  # one in flight: a second is refused
    assert loop.next_at is None
    clock.advance(0.3)
    assert loop.done(ok=True) == 2.0
    assert loop.next_at == 2.3  # counted from the answer, not from the request


def test_countdown_is_honest_under_slow_answers() -> None:
    clock = FakeClock(0)
    loop = loop_at(clock)
    loop.start()
    assert loop.countdown() == "fetching…"
    clock.advance(4.2)  # four seconds of latency: never "next in 1 s"
    assert loop.countdown() == "fetching 4 s"
    loop.done(ok=True)
    assert loop.countdown() == "next in 2 s"
    clock.advance(1.2)
    assert loop.countdown() == "next in 1 s"
    clock.advance(1.0)  # the timer is late: it is due, not "next in 1 s"
    assert loop.countdown() == "due"


def test_back_off_doubles_up_to_30_s_and_resets_on_success() -> None:
    clock = FakeClock(0)
    loop = loop_at(clock)
    delays = []
    for _ in range(6):
        loop.start()
        delays.append(loop.done(ok=False))
    assert delays == [4.0, 8.0, 16.0, MAX_BACKOFF, MAX_BACKOFF, MAX_BACKOFF]
    loop.start()
    assert loop.done(ok=True) == 2.0 and loop.failures == 0


def test_pause_plans_nothing_and_resume_allows_a_request() -> None:
    clock = FakeClock(0)
    loop = loop_at(clock)
    loop.start()
    loop.pause()
    assert loop.done(ok=True) is None and loop.next_at is None
    loop.resume()
    assert loop.start()


def test_interval_change_rearms_a_waiting_timer_but_not_one_in_flight() -> None:
    clock = FakeClock(0)
    loop = loop_at(clock)
    loop.start()
    loop.done(ok=True)
    assert loop.set_interval(5) == 5.0 and loop.next_at == 5.0
    assert loop.set_interval(0.2) == MIN_INTERVAL  # a floor of 1 s
    loop.start()
    assert loop.set_interval(3) is None  # in flight: the answer plans the next one


def test_finished_stops_planning_but_a_manual_refresh_still_goes() -> None:
    clock = FakeClock(0)
    loop = loop_at(clock)
    loop.start()
    assert loop.done(ok=True, finished=True) is None
    assert loop.finished and loop.countdown() == ""
    assert loop.start()
    assert loop.done(ok=True) is None  # still finished: nothing scheduled


def test_age_of_the_data() -> None:
    clock = FakeClock(0)
    loop = loop_at(clock)
    assert loop.age() == ""
    loop.start()
    loop.done(ok=True)
    assert loop.age() == "just now"
    clock.advance(3)
    assert loop.age() == "3 s ago"
    loop.start()
    clock.advance(70)
    loop.done(ok=False)  # an error does not make the shown data newer
    assert loop.age() == "1 min ago"
