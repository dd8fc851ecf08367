"""Settings for the published site: the development settings, unchanged so far.

Kept as its own file so the publish step has one place for what differs in production
(for example a warm reader cache); it must never add another origin.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pelicanconf import *  # noqa: F403
