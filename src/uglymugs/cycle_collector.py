"""Python's cycle collector paused around work that builds many objects and no cycles.

Every object kept alive adds to what each full collection walks again, so a command
that reads thousands of records (``alerts check``, ``reports list``) spent a tenth or
more of its time in collections that could find nothing. Freeing by reference count
goes on while it is paused; the tests of each caller check that it makes no cycles.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """The cycle collector off inside the block, and back as it was after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
