"""The background indexer yields to page runs (#22): after a step it rests for its duty; while readers ask (pages
run) it waits for a quiet moment, up to what its busy duty allows, so it still moves on under constant load.
Checked on a fake clock (no timing in the assertions)."""

from __future__ import annotations

import pytest

from explorer.notes.indexer import Indexer


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []
        self.on_sleep = None

    def monotonic(self) -> float:
        return self.now

    def perf_counter(self) -> float:
        return self.now

    def sleep(self, s: float) -> None:
        self.slept.append(s)
        self.now += s
        if self.on_sleep:
            self.on_sleep(self)


@pytest.fixture
def clock():
    """A fake clock for the indexers of a test (``Indexer.clock``): not the module's ``time``, which a real
    indexer thread left running by an earlier test in the same process would share (and sleep on)."""
    return Clock()


def indexer(clock: Clock, **kwargs) -> Indexer:
    ix = Indexer(**kwargs)
    ix.clock = clock
    return ix


def test_no_page_running_it_rests_for_its_duty_only(clock):
    ix = indexer(clock, duty=0.5)
    ix.seen = clock.now - 10  # the last reader asked long ago
    ix._pause(0.02)
    assert sum(clock.slept) == pytest.approx(0.02)  # spent * (1/0.5 - 1)


def test_pages_running_it_waits_up_to_its_busy_duty(clock):
    ix = indexer(clock, duty=0.5)
    ix.busy_duty, ix.quiet = 0.1, 0.3
    start = clock.now

    def reader(c: Clock) -> None:  # a page run asks on every sleep: never quiet
        ix.seen = c.now

    clock.on_sleep = reader
    ix.seen = clock.now
    ix._pause(0.02)
    waited = clock.now - start
    # the duty's rest, then at most spent * (1/0.1 - 1) more, and not less: it moves on under constant load
    assert 0.02 + 0.18 - 0.01 <= waited <= 0.02 + 0.18 + 0.01


def test_pages_stop_it_goes_on_at_the_quiet_moment(clock):
    ix = indexer(clock, duty=0.5)
    ix.busy_duty, ix.quiet = 0.01, 0.3  # a long budget: it ends at the quiet moment, not at the budget
    ix.seen = clock.now
    start = clock.now
    ix._pause(0.1)
    assert clock.now - start == pytest.approx(0.3 + 0.001, abs=0.002)  # quiet 0.3 s after the last reader
    assert clock.now - start < 0.1 * (1 / 0.01 - 1)


def test_every_reader_marks_pages_running(tmp_path):
    ix = Indexer()

    class Content:
        notes = ()
        version = "v"
        file_versions: dict = {}

        def ok(self, part):
            return False

    ix.seen = 0.0
    ix.progress(Content())
    assert ix.seen > 0.0
