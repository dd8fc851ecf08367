"""The check quota counts only answered checks (issue 12: refusals used it up)."""

from datetime import timedelta

import pytest

from tests.members.test_published_alerts import check, local_setup  # noqa: F401 - a fixture
from uglymugs.members.check_quota import CHECK_WINDOW, CHECKS_ALLOWED, CheckQuota
from uglymugs.members.counter_keys import CounterKeys
from uglymugs.web.errors import ApiError


def test_refused_checks_do_not_count_against_the_quota(local_setup):  # noqa: F811
    client, _ = local_setup
    for _ in range(10):
        assert check(client, "phone", "not a number").status_code == 422
    for _ in range(CHECKS_ALLOWED):
        assert check(client, "phone", "07700 900999").status_code == 200
    for _ in range(3):
        assert check(client, "phone", "07700 900999").status_code == 429
    assert check(client, "phone", "07700 900999").status_code == 429  # refusals cost nothing


def test_a_claim_is_given_back_when_the_check_is_refused(member_stores, clock):
    _, sessions = member_stores
    keys = CounterKeys.ephemeral()
    quota = CheckQuota(sessions, keys, clock)
    with pytest.raises(ValueError), quota.answered("m1"):
        raise ValueError("not a phone number")
    for _ in range(CHECKS_ALLOWED):
        with quota.answered("m1"):
            pass
    with pytest.raises(ApiError) as refused, quota.answered("m1"):
        pass
    assert refused.value.status == 429
    assert sessions.hits(keys.key("check", "m1"), CHECK_WINDOW, clock()).count == CHECKS_ALLOWED
    with quota.answered("m2"):  # every member has their own quota
        pass
    clock.advance(CHECK_WINDOW + timedelta(seconds=1))
    with quota.answered("m1"):
        pass
