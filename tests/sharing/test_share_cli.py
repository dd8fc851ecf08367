"""``uglymugs share``: from a real sealed report to a file only the partner can open;
the ledger records it and verifies; a withdrawn consent names who must delete."""

import json
import shutil
import sqlite3
import subprocess
from datetime import date, timedelta

import pyrage
import pytest
from nacl.public import PublicKey, SealedBox

from tests.partner_files import write_partner
from uglymugs.cli import main
from uglymugs.crypto import TEST_KDF, create_keys
from uglymugs.reports.numbers import new_report_number
from uglymugs.reports.vault import StoredReport
from uglymugs.reports.vault.files import LocalReportVault
from uglymugs.sharing.rules import NEVER, fields_for

PASSPHRASE = "staff passphrase"
CONTACT = "Canary-Contact-6e3a jess@example.net"


def report(**answers):
    return {
        "schema": "uglymugs.report/1",
        "report_type": "full",
        "follows": None,
        "reporter": "self",
        "language": "en",
        "answers": {
            "incident_date": (date.today() - timedelta(days=3)).isoformat(),
            "town_or_area": "Ancoats, Manchester",
            "offender_sex": "male",
            "vehicle_registration": "ZZ99 ZZZ",
            "what_happened": "he held her in the car",
            "categories": ["kidnap", "threats"],
            "consent_scas": "yes",
            "consent_police_help": "yes",
            "contact_preference": "email",
            "contact_details": CONTACT,
            **answers,
        },
    }


class Scheme:
    def __init__(self, data_dir, partners_dir):
        self.public = create_keys(data_dir / "keys", PASSPHRASE, kdf=TEST_KDF)
        self.vault = LocalReportVault(data_dir / "vault")
        self.partners_dir = partners_dir
        self.data_dir = data_dir
        self.identities = {}

    def store(self, content, follows=None, received_at="2026-11-21T08:00:00Z"):
        number = new_report_number()
        if follows:
            content = {**content, "report_type": "follow_up", "follows": follows}
        box = SealedBox(PublicKey(self.public.report_public_key))
        ciphertext = box.encrypt(json.dumps(content).encode())
        self.vault.put_new(StoredReport(number, self.public.report_key_id, ciphertext, received_at))
        return number

    def partner(self, partner_id, kind, areas="[greater-manchester]"):
        self.identities[partner_id] = write_partner(self.partners_dir, partner_id, kind, areas)


def open_scheme(tmp_path, monkeypatch, *kinds: str) -> Scheme:
    """A scheme in ``tmp_path`` (its data and partner directories, Sam's settings in the
    environment, run from there) with a national SCAS partner and a Greater Manchester
    partner ``t-<kind>`` of each of ``kinds``."""
    monkeypatch.setenv("UGLYMUGS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("UGLYMUGS_KEY_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("UGLYMUGS_STAFF_NAME", "Sam")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "partners").mkdir()
    scheme = Scheme(tmp_path / "data", tmp_path / "partners")
    scheme.partner("t-scas", "scas", "[all]")
    for kind in kinds:
        scheme.partner(f"t-{kind}", kind)
    return scheme


@pytest.fixture
def scheme(tmp_path, monkeypatch):
    return open_scheme(tmp_path, monkeypatch, "hub", "liaison", "support", "bureau", "regional")


def share(capsys, *args):
    code = main(["share", *args])
    out, err = capsys.readouterr()
    return code, out, err


def decrypt(identity, path, tmp_path):
    """With the standard age tool where installed, as a partner would; else pyrage."""
    age = shutil.which("age")
    if age is None:
        return pyrage.decrypt(path.read_bytes(), [identity])
    key = tmp_path / "identity.txt"
    key.write_text(str(identity) + "\n", encoding="utf-8")
    done = subprocess.run(
        [age, "--decrypt", "-i", str(key), str(path)], capture_output=True, check=False
    )
    if done.returncode != 0:
        raise ValueError(done.stderr.decode())
    return done.stdout


@pytest.mark.parametrize(
    ("action", "partner"),
    [
        ("scas", "t-scas"),
        ("hub", "t-hub"),
        ("referral", "t-liaison"),
        ("referral", "t-hub"),
        ("referral", "t-support"),
    ],
)
def test_a_packet_opens_for_its_partner_only_with_exactly_the_allowed_fields(
    scheme, capsys, tmp_path, action, partner
):
    number = scheme.store(report())
    out_file = tmp_path / f"{action}.age"
    code, _out, err = share(capsys, action, number, "--to", partner, "--out", str(out_file))
    assert code == 0, err
    packet = json.loads(decrypt(scheme.identities[partner], out_file, tmp_path))
    given = set(report()["answers"])
    assert set(packet["answers"]) == set(fields_for(action)) & given - NEVER
    assert packet["incident"] == number and packet["partner"] == partner
    assert packet["force_area"] == "greater-manchester"
    assert CONTACT.lower() not in json.dumps(packet).lower()
    other = "t-hub" if partner != "t-hub" else "t-scas"
    with pytest.raises(Exception):  # noqa: B017 - age's or pyrage's own error
        decrypt(scheme.identities[other], out_file, tmp_path)


def test_preview_prints_the_packet_and_writes_and_records_nothing(scheme, capsys, tmp_path):
    number = scheme.store(report())
    code, out, _err = share(capsys, "scas", number, "--preview")
    assert code == 0
    assert json.loads(out)["action"] == "scas"
    assert not list(tmp_path.glob("*.age"))
    code, out, _err = share(capsys, "log", "--json")
    assert json.loads(out)["shares"] == []


@pytest.mark.parametrize(
    ("args", "answers", "message"),
    [
        (["scas"], {"consent_scas": "no"}, "not shared: no consent: the person did not agree"),
        (["scas"], {"categories": ["robbery"]}, "not shared: does not meet SCAS's criteria"),
        (["hub", "--to", "t-bureau"], {}, "receives published alerts through notify"),
        (["scas", "--to", "t-regional"], {}, "receives published alerts through notify"),
        (["referral", "--to", "t-liaison"], {"consent_police_help": None}, "not answered"),
    ],
)
def test_a_share_the_rules_refuse_is_one_line_and_leaves_nothing(
    scheme, capsys, tmp_path, args, answers, message
):
    content = report(**answers)
    content["answers"] = {k: v for k, v in content["answers"].items() if v is not None}
    number = scheme.store(content)
    code, _out, err = share(capsys, args[0], number, *args[1:])
    assert code != 0
    assert message in err and len(err.strip().splitlines()) == 1
    assert not list(tmp_path.glob("*.age"))


def test_the_ledger_records_each_share_and_verifies_its_chain(scheme, capsys, tmp_path):
    number = scheme.store(report())
    assert share(capsys, "scas", number)[0] == 0
    assert share(capsys, "hub", number)[0] == 0
    code, out, _err = share(capsys, "log", "--json", "--partner", "t-scas")
    assert code == 0
    document = json.loads(out)
    assert document["verified"] and document["count"] == 2
    [entry] = document["shares"]
    assert entry["incident"] == number and entry["who"] == "Sam"
    assert entry["consent"] == "consent_scas" and entry["consent_answer"] == "yes"
    assert entry["consent_source"] == number
    assert "what_happened" in entry["fields"] and len(entry["digest"]) == 64
    assert "he held her" not in out
    with sqlite3.connect(scheme.data_dir / "state.sqlite3") as connection:
        connection.execute(
            "UPDATE sharing_ledger SET entry = replace(entry, 't-scas', 't-evil') WHERE sequence=1"
        )
    code, out, err = share(capsys, "log")
    assert code == 1 and "changed after it was written" in err


def test_a_withdrawn_consent_lists_the_partners_that_hold_the_incident(scheme, capsys):
    number = scheme.store(report())
    assert share(capsys, "scas", number)[0] == 0
    code, out, _err = share(capsys, "withdrawn", number)
    assert code == 0 and "No partner" in out
    scheme.store(
        {"reporter": "self", "answers": {"consent_scas": "no"}, "schema": "uglymugs.report/1"},
        follows=number,
        received_at="2026-11-22T08:00:00Z",
    )
    code, out, _err = share(capsys, "withdrawn", number)
    assert code == 0
    assert "t-scas" in out and "consent_scas now no" in out
    assert share(capsys, "scas", number)[0] != 0  # and it cannot be shared again
