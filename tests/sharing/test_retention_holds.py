"""Retention keeps a report past its years while a partner holds it (the sharing
ledger names it) or while it is due to be shared; the others go as before."""

from datetime import UTC, datetime, timedelta

from tests.sharing.test_share_cli import open_scheme, report, share
from uglymugs.cli import main
from uglymugs.reports.vault.files import LocalReportVault

OLD = "2019-01-10T08:00:00Z"  # past the six years


def _scheme(tmp_path, monkeypatch):
    return open_scheme(tmp_path, monkeypatch, "hub")


def _incident_date_then():
    return (datetime(2019, 1, 8, tzinfo=UTC) - timedelta(days=0)).date().isoformat()


def test_shared_and_due_reports_are_kept_and_the_rest_go(tmp_path, monkeypatch, capsys):
    scheme = _scheme(tmp_path, monkeypatch)
    plain = {"consent_scas": "no", "consent_police_help": "no", "categories": ["robbery"]}
    shared = scheme.store(report(incident_date=_incident_date_then()), received_at=OLD)
    due = scheme.store(report(consent_police_help="no"), received_at=OLD)
    nothing = scheme.store(report(**plain), received_at=OLD)
    young = scheme.store(report(**plain))
    assert share(capsys, "scas", shared)[0] == 0
    assert main(["retention"]) == 0
    out = capsys.readouterr().out
    assert sorted(LocalReportVault(scheme.data_dir / "vault").numbers()) == sorted(
        [shared, due, young]
    )
    assert f"  {nothing}" in out
    assert "kept, held by a case or share: 2" in out


def test_without_keys_only_the_ledger_holds_and_it_says_so(tmp_path, monkeypatch, capsys):
    scheme = _scheme(tmp_path, monkeypatch)
    shared = scheme.store(report(), received_at=OLD)
    due = scheme.store(report(consent_police_help="no"), received_at=OLD)
    assert share(capsys, "scas", shared)[0] == 0
    monkeypatch.delenv("UGLYMUGS_KEY_PASSPHRASE")
    assert main(["retention", "--dry-run", "--without-keys"]) == 0
    out = capsys.readouterr().out
    assert f"  {due}" in out and "kept, held by a case or share: 1" in out
    assert "reports due to be shared were not looked for" in out


def test_a_wrong_passphrase_deletes_nothing(tmp_path, monkeypatch, capsys):
    scheme = _scheme(tmp_path, monkeypatch)
    due = scheme.store(report(), received_at=OLD)
    monkeypatch.setenv("UGLYMUGS_KEY_PASSPHRASE", "not the passphrase")
    assert main(["retention"]) != 0
    assert "--without-keys" in capsys.readouterr().err
    assert list(LocalReportVault(scheme.data_dir / "vault").numbers()) == [due]


def test_no_report_past_its_years_asks_for_no_passphrase(tmp_path, monkeypatch, capsys):
    scheme = _scheme(tmp_path, monkeypatch)
    scheme.store(report())
    monkeypatch.setenv("UGLYMUGS_KEY_PASSPHRASE", "not the passphrase")
    assert main(["retention", "--dry-run"]) == 0
    assert "reports past their years: would remove 0" in capsys.readouterr().out
