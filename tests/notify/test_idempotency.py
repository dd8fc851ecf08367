"""A publish event delivered twice runs notify once (Powertools Idempotency, moto);
catch-up and feedback events always run."""

import pytest

from tests.lambda_events import FakeLambdaContext
from tests.reports.test_powertools_idempotency import (
    POWERTOOLS_TABLE,
    KilledMidWrite,
    create_powertools_table,
)
from uglymugs.notify.idempotency import DUPLICATE, OncePerSequence


class CountingHandle:
    def __init__(self, fail_first=None):
        self.events = []
        self.fail_first = fail_first

    def __call__(self, event, services):
        self.events.append(dict(event))
        if self.fail_first is not None:
            error, self.fail_first = self.fail_first, None
            raise error
        return {"sequences": [event.get("sequence")], "sent": {"email": 3}}


@pytest.fixture
def table(mocked_aws):
    return create_powertools_table()


def test_a_duplicate_publish_event_does_nothing_and_counts_nothing(table):
    handle = CountingHandle()
    once = OncePerSequence(handle, POWERTOOLS_TABLE)
    first = once({"sequence": 7}, services=None, lambda_context=FakeLambdaContext())
    again = once({"sequence": 7}, services=None, lambda_context=FakeLambdaContext())
    assert first == {"sequences": [7], "sent": {"email": 3}}
    assert again == DUPLICATE  # no "sent": the metrics are not counted twice
    assert handle.events == [{"sequence": 7}]
    once({"sequence": 8}, services=None)
    assert handle.events == [{"sequence": 7}, {"sequence": 8}]


def test_catch_up_and_feedback_events_always_run(table):
    handle = CountingHandle()
    once = OncePerSequence(handle, POWERTOOLS_TABLE)
    feedback = {"Records": [{"EventSource": "aws:sns", "Sns": {"Message": "{}"}}]}
    for event in ({"catch_up": True}, {"catch_up": True}, feedback, feedback):
        once(event, services=None)
    assert len(handle.events) == 4


def test_a_failed_run_is_forgotten_so_lambdas_retry_runs_again(table):
    handle = CountingHandle(fail_first=RuntimeError("SES throttled"))
    once = OncePerSequence(handle, POWERTOOLS_TABLE)
    with pytest.raises(RuntimeError):
        once({"sequence": 7}, services=None, lambda_context=FakeLambdaContext())
    assert once({"sequence": 7}, services=None)["sent"] == {"email": 3}
    assert len(handle.events) == 2


def test_a_duplicate_beside_a_running_first_run_stands_down(table):
    handle = CountingHandle(fail_first=KilledMidWrite())
    once = OncePerSequence(handle, POWERTOOLS_TABLE)
    with pytest.raises(KilledMidWrite):  # the first run is still "in progress"
        once({"sequence": 7}, services=None, lambda_context=FakeLambdaContext())
    assert once({"sequence": 7}, services=None, lambda_context=FakeLambdaContext()) == DUPLICATE
    assert len(handle.events) == 1
