"""``uglymugs partners check``: the shipped examples pass; each broken rule names path:line."""

from pathlib import Path

import pyrage
import pytest

from uglymugs.cli import main
from uglymugs.sharing.partners import check_partners

SHIPPED = Path(__file__).parents[2] / "partners"
_GOOD = str(pyrage.x25519.Identity.generate().to_public())
BAD_CHECKSUM = _GOOD[:-1] + ("q" if _GOOD[-1] != "q" else "p")


def partner_file(tmp_path, **changes):
    fields = {
        "id": "test-hub",
        "name": "Test hub",
        "kind": "hub",
        "force_areas": "[greater-manchester]",
        "contact": "hub@example.invalid",
        "age_recipient": str(pyrage.x25519.Identity.generate().to_public()),
    }
    fields.update(changes)
    lines = [f"{key}: {value}" for key, value in fields.items() if value is not None]
    path = tmp_path / "test-hub.yaml"
    path.write_text("# a test partner\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_shipped_partners_are_fictional_examples_that_pass():
    result = check_partners([SHIPPED])
    assert result.ok, result.problems
    assert result.partners
    for partner in result.partners.values():
        assert partner.fictional
        assert "EXAMPLE ONLY" in partner.name
        assert partner.contact.endswith("@example.invalid")
        assert "FICTIONAL EXAMPLE" in partner.path.read_text(encoding="utf-8")


def test_a_good_partner_passes(tmp_path, capsys):
    path = partner_file(tmp_path)
    assert main(["partners", "check", str(path)]) == 0
    assert "1 passed" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("changes", "line", "message"),
    [
        ({"age_recipient": "age1notakey"}, 7, "not an age public key"),
        ({"age_recipient": "ssh-ed25519 AAAAC3Nza"}, 7, "not an age public key"),
        ({"age_recipient": BAD_CHECKSUM}, 7, "not an age public key"),
        ({"force_areas": "[gotham]"}, 5, "unknown force area 'gotham'"),
        ({"contact": None}, 1, "missing contact"),
        ({"contact": "not an address"}, 6, "contact: an e-mail address"),
        ({"kind": "newspaper"}, 4, "unknown kind 'newspaper'"),
    ],
)
def test_a_broken_partner_is_refused_with_path_and_line(tmp_path, capsys, changes, line, message):
    path = partner_file(tmp_path, **changes)
    assert main(["partners", "check", str(path)]) == 1
    out = capsys.readouterr().out
    located = [row for row in out.splitlines() if row.startswith(f"{path}:{line}: ")]
    assert located and message in located[0]
    assert check_partners([path]).partners == {}


def test_two_files_with_one_id_are_refused(tmp_path):
    first = partner_file(tmp_path)
    second = tmp_path / "copy.yaml"
    second.write_text(first.read_text(encoding="utf-8"), encoding="utf-8")
    result = check_partners([tmp_path])
    assert any("also used" in problem.message for problem in result.problems)


def test_bad_yaml_names_its_line(tmp_path, capsys):
    path = tmp_path / "bad.yaml"
    path.write_text("id: x\nname: [unclosed\n", encoding="utf-8")
    assert main(["partners", "check", str(path)]) == 1
    assert f"{path}:" in capsys.readouterr().out
