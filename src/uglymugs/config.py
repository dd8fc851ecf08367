"""Where the scheme keeps its state on this machine, read once from the environment.

Every command and every local adapter takes a :class:`Settings` instead of reading
environment variables itself, so tests can point a whole scheme at a temporary
directory by building one object.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DATA_DIR = ".uglymugs"
DATA_DIR_VARIABLE = "UGLYMUGS_DATA_DIR"
PASSPHRASE_VARIABLE = "UGLYMUGS_KEY_PASSPHRASE"  # noqa: S105 - a variable name
DEV_PASSPHRASE = "dev"  # noqa: S105 - documented, for local development keys only


@dataclass(frozen=True)
class Settings:
    """Paths of the local adapters, all under one data directory (git-ignored)."""

    data_dir: Path

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        environ = os.environ if environ is None else environ
        return cls(data_dir=Path(environ.get(DATA_DIR_VARIABLE, DEFAULT_DATA_DIR)))

    @property
    def keys_dir(self) -> Path:
        return self.data_dir / "keys"

    @property
    def vault_dir(self) -> Path:
        return self.data_dir / "vault"

    @property
    def state_db(self) -> Path:
        """SQLite file for ledgers that need atomic claims (idempotency, later members)."""
        return self.data_dir / "state.sqlite3"

    @property
    def site_output(self) -> Path:
        return self.data_dir / "site"


def repository_root() -> Path:
    """The checkout this package was installed from in editable mode (holds ``site/``)."""
    return Path(__file__).resolve().parents[2]
