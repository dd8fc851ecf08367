"""The AWS mailer: SES."""

from __future__ import annotations

from typing import Any

from uglymugs.messaging.mailer import SES_MAX_DESTINATIONS, Attachment, build_message
from uglymugs.messaging.quota import SendingQuota, ses_quota


class SESMailer:
    """Messages through SES v2 ``SendEmail`` from ``sender`` (a verified identity).

    The same message to many members goes in one call with up to 50 addresses, all in
    ``Bcc`` so no member sees another (SES's ``SendBulkEmail`` needs a stored template
    per message and gives nothing more here). ``configuration_set`` names the SES
    configuration set whose event destination reports bounces and complaints.
    """

    batch_limit = SES_MAX_DESTINATIONS

    def __init__(
        self, sender: str, client: Any = None, configuration_set: str | None = None
    ) -> None:
        self.sender = sender
        self.configuration_set = configuration_set
        self._ses = client

    def send(self, to: str, subject: str, text: str, html: str | None = None) -> None:
        self._send({"ToAddresses": [to]}, subject, text, html)

    def send_with_attachment(
        self, to: str, subject: str, text: str, attachment: Attachment
    ) -> None:
        """A raw MIME message (``Content.Raw``): SES's simple content has no attachments."""
        message = build_message(self.sender, to, subject, text, attachment=attachment)
        arguments: dict[str, Any] = {
            "FromEmailAddress": self.sender,
            "Destination": {"ToAddresses": [to]},
            "Content": {"Raw": {"Data": bytes(message)}},
        }
        if self.configuration_set:
            arguments["ConfigurationSetName"] = self.configuration_set
        self._client.send_email(**arguments)

    def send_to_many(
        self, addresses: list[str], subject: str, text: str, html: str | None = None
    ) -> None:
        if len(addresses) > self.batch_limit:
            raise ValueError(f"at most {self.batch_limit} addresses in one call")
        if len(addresses) == 1:
            self.send(addresses[0], subject, text, html)
        elif addresses:
            self._send({"BccAddresses": list(addresses)}, subject, text, html)

    def sending_quota(self) -> SendingQuota:
        """The account's send rate and what is left of its 24-hour quota (SES v2
        ``GetAccount``), so notify paces itself to them instead of being throttled."""
        return ses_quota(self._client.get_account())

    def _send(
        self, destination: dict[str, list[str]], subject: str, text: str, html: str | None
    ) -> None:
        body: dict[str, Any] = {"Text": {"Data": text, "Charset": "UTF-8"}}
        if html is not None:
            body["Html"] = {"Data": html, "Charset": "UTF-8"}
        arguments: dict[str, Any] = {
            "FromEmailAddress": self.sender,
            "Destination": destination,
            "Content": {"Simple": {"Subject": {"Data": subject, "Charset": "UTF-8"}, "Body": body}},
        }
        if self.configuration_set:
            arguments["ConfigurationSetName"] = self.configuration_set
        self._client.send_email(**arguments)

    @property
    def _client(self) -> Any:
        if self._ses is None:
            import boto3

            self._ses = boto3.client("sesv2")
        return self._ses
