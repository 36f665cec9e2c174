"""paused_gc: collection is off inside, back on after — even after an error — unless it was off."""

from __future__ import annotations

import gc

import pytest

from app.gc_pause import paused_gc


def test_paused_inside_and_restored_after_an_error() -> None:
    assert gc.isenabled()
    with pytest.raises(RuntimeError), paused_gc():
        assert not gc.isenabled()
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_a_nested_pause_does_not_resume_early_and_an_off_collector_stays_off() -> None:
    with paused_gc():
        with paused_gc():
            pass
        assert not gc.isenabled()  # the outer pause is still on
    assert gc.isenabled()
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()  # it was off before: not switched on behind the caller's back
    finally:
        gc.enable()
