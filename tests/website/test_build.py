"""Build failures say what to do; the form's number check matches the Python one."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from uglymugs.config import Settings, repository_root
from uglymugs.reports.numbers import new_report_number, normalise
from uglymugs.website.build import SiteBuildError, build_site


def test_missing_keys_name_the_command_that_makes_them(tmp_path):
    with pytest.raises(SiteBuildError, match="uglymugs keys init"):
        build_site(Settings(data_dir=tmp_path / "data"))


def test_a_non_empty_directory_that_is_not_a_build_is_never_emptied(built_site, tmp_path):
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me")
    with pytest.raises(SiteBuildError, match="not empty"):
        build_site(built_site.settings, tmp_path)
    assert precious.read_text() == "keep me"


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_browser_checks_report_numbers_exactly_as_python_does():
    numbers = [new_report_number() for _ in range(50)]
    typed = [n.lower().replace("-", " ") for n in numbers[:10]]
    typed += [n.replace("0", "O").replace("1", "l") for n in numbers[10:20]]
    wrong = [n[:-1] + ("0" if n[-1] != "0" else "1") for n in numbers[20:30]]
    cases = [*numbers, *typed, *wrong, "UM-1234", "", "hello"]
    module = repository_root() / "site/themes/uglymugs/js/report-number.mjs"
    script = (
        f"import {{ normaliseReportNumber }} from {json.dumps(str(module))};"
        f"console.log(JSON.stringify({json.dumps(cases)}.map(normaliseReportNumber)));"
    )
    result = subprocess.run(
        ["node", "--input-type=module", "-e", script], capture_output=True, text=True, check=True
    )

    def python(text):
        try:
            return normalise(text)
        except ValueError:
            return None

    assert json.loads(result.stdout) == [python(case) for case in cases]
    assert json.loads(result.stdout)[-13:] == [None] * 13  # wrong check, malformed
