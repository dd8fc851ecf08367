"""The cycle collector is paused inside the block and left as it was found after."""

from __future__ import annotations

import gc

import pytest

from uglymugs.cycle_collector import cycle_collector_paused


def test_paused_inside_and_back_on_after_even_when_the_block_fails():
    assert gc.isenabled()
    with pytest.raises(RuntimeError), cycle_collector_paused():
        assert not gc.isenabled()
        raise RuntimeError("stop")
    assert gc.isenabled()


def test_a_collector_already_off_stays_off():
    gc.disable()
    try:
        with cycle_collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
