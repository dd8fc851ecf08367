"""The AWS texter: SNS."""

from __future__ import annotations

from typing import Any

from uglymugs.messaging.quota import DEFAULT_SMS_RATE, SendingQuota
from uglymugs.messaging.texter import _SENDER_ID, _checked


class SNSTexter:
    """Transactional SMS through SNS ``Publish``, optionally from an alphanumeric sender id.

    The client is made on first use, so importing this costs no boto3 import.
    """

    def __init__(
        self, sender_id: str | None = None, client: Any = None, rate: float = DEFAULT_SMS_RATE
    ) -> None:
        if sender_id is not None and not _SENDER_ID.fullmatch(sender_id):
            raise ValueError("an SMS sender id is 1 to 11 letters and digits, with a letter")
        self.sender_id = sender_id
        self.rate = rate
        self._sns = client

    def sending_quota(self) -> SendingQuota:
        """SMS a second: SNS's API says no rate (``GetSMSAttributes`` has a monthly
        spend limit in dollars), so this is the configured rate, by default the
        conservative :data:`~uglymugs.messaging.quota.DEFAULT_SMS_RATE`."""
        return SendingQuota(self.rate)

    def send(self, to: str, text: str) -> None:
        _checked(to, text)
        attributes = {"AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": "Transactional"}}
        if self.sender_id:
            attributes["AWS.SNS.SMS.SenderID"] = {
                "DataType": "String",
                "StringValue": self.sender_id,
            }
        self._client.publish(PhoneNumber=to, Message=text, MessageAttributes=attributes)

    def opted_out(self) -> frozenset[str]:
        """Every number on SNS's opted-out list, page by page."""
        numbers: set[str] = set()
        arguments: dict[str, str] = {}
        while True:
            page = self._client.list_phone_numbers_opted_out(**arguments)
            numbers.update(page.get("phoneNumbers", ()))
            token = page.get("nextToken")
            if not token:
                return frozenset(numbers)
            arguments = {"nextToken": token}

    @property
    def _client(self) -> Any:
        if self._sns is None:
            import boto3

            self._sns = boto3.client("sns")
        return self._sns
