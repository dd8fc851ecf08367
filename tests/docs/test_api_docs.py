"""docs/api.md stays true: every error code the code can return is documented."""

import re
from pathlib import Path

from uglymugs.reports.submission import MAX_BODY_BYTES
from uglymugs.web.errors import ErrorCode

API_DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def documented_codes() -> set[str]:
    return set(re.findall(r"^\| `([a-z0-9_]+)` \| \d{3} \|", API_DOC.read_text(), re.MULTILINE))


def test_every_error_code_is_documented_and_nothing_else():
    assert documented_codes() == {code.value for code in ErrorCode}


def test_the_documented_size_limit_is_the_real_one():
    assert f"{MAX_BODY_BYTES:,}" in API_DOC.read_text()
