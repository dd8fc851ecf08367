"""Publishing: check every alert, build the public site, then sign and shelve the bundles.

The orchestration above the domain packages: :mod:`uglymugs.alerts` checks alerts and
publishes bundles, :mod:`uglymugs.website` builds the site; this module runs them in
order, and nothing is published while the check finds a problem. It is what
``uglymugs publish`` (and CI, after a merge) runs.

>>> result = publish(settings, alerts_dir=Path("site/alerts"), shelf=shelf,
...                  signing_key=key, key_id=key_id, today=today, now=now)  # doctest: +SKIP
>>> result.sequence, result.changes.new  # doctest: +SKIP
(42, ('2026-0009',))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from nacl.signing import SigningKey

from uglymugs.alerts.publish import PublishResult, publish_records, records_from_check, region_names
from uglymugs.alerts.shelf import BundleShelf
from uglymugs.config import Settings

PUBLISH_SETTINGS = "publishconf.py"  # the site's production settings


def shelve_alert_partners(
    settings: Settings, shelf: BundleShelf, *, signing_key: SigningKey, key_id: str, now: datetime
) -> str | None:
    """Put the bureaus and regional units on the shelf, for the deployed notify function.

    Only from a checkout that has the partner directory: a publish without one (CI)
    leaves the list already shelved as it is rather than emptying it.
    """
    if not settings.partners_dir.is_dir():
        return None
    from uglymugs.notify.partner_shelf import write_partners
    from uglymugs.sharing.alert_partners import alert_partners

    partners = alert_partners(settings.partners_dir)
    return write_partners(shelf, partners, signing_key=signing_key, key_id=key_id, now=now)


class PublishBlockedError(Exception):
    """The alert check found problems; nothing was published."""

    def __init__(self, problems: list[Any]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the alerts; nothing was published")


def blocking_problems(result: Any) -> list[Any]:
    """Problems that stop a publish.

    With the check's own verdict (``result.ok``), the errors and the warnings nobody
    accepted; without it, every problem.
    """
    problems = list(getattr(result, "problems", ()))
    ok = getattr(result, "ok", None)
    if ok is None:
        return problems
    if ok:
        return []
    blocking = [
        problem
        for problem in problems
        if getattr(problem, "severity", "error") == "error"
        or not getattr(problem, "accepted", False)
    ]
    return blocking or problems or [f"the alert check failed ({result!r})"]


def publish(
    settings: Settings,
    *,
    alerts_dir: Path,
    shelf: BundleShelf,
    signing_key: SigningKey,
    key_id: str,
    today: date,
    now: datetime,
    build_public_site: bool = True,
    check: Callable[..., Any] | None = None,
    site_dir: Path | None = None,
) -> PublishResult:
    """Check, build the site, publish the bundles; raise :class:`PublishBlockedError`.

    ``check`` is :func:`uglymugs.alerts.check.check_alerts` unless a test gives a fake;
    ``site_dir`` is the Pelican project (the checkout's ``site/`` by default).
    """
    if check is None:
        from uglymugs.alerts.check import check_alerts as check
    result = check(Path(alerts_dir), today=today)
    problems = blocking_problems(result)
    if problems:
        raise PublishBlockedError(problems)
    records = records_from_check(result)
    site_output = None
    if build_public_site:
        from uglymugs.website.build import build_site

        site_output = build_site(settings, site_dir=site_dir, settings_file=PUBLISH_SETTINGS)
    published = publish_records(
        records,
        shelf=shelf,
        signing_key=signing_key,
        key_id=key_id,
        today=today,
        now=now,
        region_names=region_names(),
    )
    shelve_alert_partners(settings, shelf, signing_key=signing_key, key_id=key_id, now=now)
    warnings = tuple(getattr(result, "problems", ()))
    return replace(published, site_output=site_output, warnings=warnings)
