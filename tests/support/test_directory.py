"""The local support directory: checked like alerts (``path:line: message``), strict
about contacts, and what ships is fictional, clearly marked."""

from __future__ import annotations

from pathlib import Path

import pytest

from uglymugs.cli import main
from uglymugs.config import repository_root
from uglymugs.support import SERVICES, check_directory

SHIPPED = repository_root() / "support"

GOOD = """\
id: example-test
name: "EXAMPLE ONLY - Test Project (fictional)"
fictional: true
force_areas: [merseyside]
services: [outreach, sexual_health]
contact:
  phone: "07700 900555"
  email: test@example.org
  website: https://example.org/test
languages: [en, pl]
opening_times:
  - days: [mon, fri]
    from: "10:00"
    to: "16:00"
"""


def write(tmp_path: Path, text: str, name: str = "project.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_directory_passes_and_is_all_fictional_examples():
    result = check_directory([SHIPPED])
    assert result.ok, [str(problem) for problem in result.problems]
    assert len(result.projects) >= 3
    for project in result.projects:
        assert project.fictional and project.name.startswith("EXAMPLE ONLY")
        assert project.tel is None or project.tel.startswith("+447700900")
        for address in (project.email, project.website):
            assert address is None or "example.org" in address
        assert "FICTIONAL EXAMPLE" in project.path.read_text(encoding="utf-8")
    areas = {area for project in result.projects for area in project.force_areas}
    assert len(areas) >= 4  # enough to show the filter working


def test_a_good_project_passes_with_its_fields(tmp_path):
    result = check_directory([write(tmp_path, GOOD)])
    assert result.ok
    (project,) = result.projects
    assert project.tel == "+447700900555" and project.phone == "07700 900555"
    assert project.covers("merseyside") and not project.covers("kent")
    assert project.opening_times[0].days == ("mon", "fri")
    assert project.opening_times[0].opens == "10:00"


@pytest.mark.parametrize(
    ("change", "line", "words"),
    [
        (("force_areas: [merseyside]", "force_areas: [gotham]"), 4, "unknown 'gotham'"),
        (("services: [outreach, sexual_health]", "services: [spa]"), 5, "unknown 'spa'"),
        (('"07700 900555"', '"0161 496 0000"'), 6, "drama number"),
        (('"07700 900555"', '"12"'), 6, "not a UK number"),
        (("test@example.org", "test@realproject.org.uk"), 6, "example.org"),
        (("https://example.org/test", "http://example.org/test"), 6, "https://"),
        (("languages: [en, pl]", "languages: [klingon]"), 10, "unknown 'klingon'"),
        (('from: "10:00"', "from: 10:00"), 11, "quoted"),
        (('to: "16:00"', 'to: "09:00"'), 11, "before it opens"),
        (("days: [mon, fri]", "days: [someday]"), 11, "days are some of"),
        (('name: "EXAMPLE ONLY - Test', 'name: "Test'), 2, "begins 'EXAMPLE ONLY'"),
        (("fictional: true", "colour: blue"), 3, "unknown key 'colour'"),
    ],
)
def test_each_problem_is_named_at_its_line(tmp_path, change, line, words):
    path = write(tmp_path, GOOD.replace(*change))
    result = check_directory([path])
    assert not result.ok and result.projects == []
    assert any(problem.line == line and words in problem.message for problem in result.problems), [
        str(problem) for problem in result.problems
    ]
    assert str(result.problems[0]).startswith(f"{path}:")


def test_a_real_project_may_not_use_fictional_contacts(tmp_path):
    real = GOOD.replace("fictional: true\n", "").replace("EXAMPLE ONLY - ", "")
    result = check_directory([write(tmp_path, real)])
    messages = " ".join(problem.message for problem in result.problems)
    assert "mark the project fictional" in messages
    checked = real.replace('"07700 900555"', '"0808 500 2222"')
    checked = checked.replace("example.org", "realproject.org.uk")
    assert check_directory([write(tmp_path, checked, "real.yaml")]).ok


def test_missing_fields_and_a_repeated_id(tmp_path):
    write(tmp_path, GOOD, "a.yaml")
    write(tmp_path, GOOD, "b.yaml")
    write(tmp_path, "id: example-bare\n", "c.yaml")
    result = check_directory([tmp_path])
    messages = [str(problem) for problem in result.problems]
    assert any("b.yaml:1: id 'example-test' is also used" in m for m in messages)
    for key in ("name", "force_areas", "services", "contact", "languages", "opening_times"):
        assert any(m.endswith(f"missing {key}") and "c.yaml:1:" in m for m in messages), key
    assert [project.id for project in result.projects] == ["example-test"]


def test_every_service_has_a_label():
    assert all(label and label[0].isupper() for label in SERVICES.values())


def test_the_command_prints_path_line_and_exits_1(tmp_path, capsys):
    good = write(tmp_path, GOOD)
    assert main(["support", "check", str(good)]) == 0
    assert "1 passed (1 fictional examples), 0 problem(s)" in capsys.readouterr().out
    bad = write(tmp_path, GOOD.replace("merseyside", "gotham"), "bad.yaml")
    assert main(["support", "check", str(bad)]) == 1
    out = capsys.readouterr().out
    assert f"{bad}:4: force_areas: unknown 'gotham'" in out
    assert main(["support", "check", str(tmp_path / "none")]) == 1
    assert "no such file" in capsys.readouterr().err
