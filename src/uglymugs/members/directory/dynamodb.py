"""The member directory and session store in DynamoDB (the AWS adapters).

Members table (partition key ``id``): the member as ``member#<id>`` (its record as
JSON in ``record``) and one uniqueness item each for ``username#<case-folded name>``
and ``email#<address>``, pointing at the member. A new member is one
``TransactWriteItems`` of the three, each on condition that its id is absent, so a
username or address can never belong to two members.

API tokens, in the members table: ``apitoken#<hash>`` (whose it is, its name and
times) and one ``apitokens#<member id>`` item per member whose string set ``tokens``
lists ``<token id>:<hash>``, so a member's tokens are found without a scan. Adding
and revoking write both in one transaction.

Sessions table (partition key ``id``, TTL on ``expiration``, global secondary index
``by_member`` on ``member_id``): ``session#<hash>``, ``token#<hash>`` and
``hits#<key>#<window>`` and ``attempts#<key>#<window>``. TTL deletes lazily, so every
read checks the time as well.
boto3 is imported on first use.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timedelta
from typing import Any

from uglymugs.members.directory import (
    TOKEN_RETENTION,
    ApiToken,
    Attempt,
    EmailTakenError,
    Hits,
    Member,
    OneTimeToken,
    Session,
    TokenState,
    UnknownMemberError,
    UsernameTakenError,
    epoch,
    from_epoch,
    link_record,
    session_record,
    username_key,
    window_bounds,
)

MEMBER_INDEX = "by_member"
_ABSENT = "attribute_not_exists(id)"
CLAIM_TRIES = 3  # compare-and-set rounds before a busy key is answered as "wait"


class _DynamoDBTable:
    def __init__(self, table_name: str, client: Any = None) -> None:
        self.table_name = table_name
        self._dynamodb = client

    @property
    def _client(self) -> Any:
        if self._dynamodb is None:
            import boto3

            self._dynamodb = boto3.client("dynamodb")
        return self._dynamodb

    def _get(self, item_id: str) -> dict[str, Any] | None:
        return self._client.get_item(
            TableName=self.table_name, Key={"id": {"S": item_id}}, ConsistentRead=True
        ).get("Item")


class DynamoDBMemberDirectory(_DynamoDBTable):
    """Members and their uniqueness items in ``table_name``."""

    def add(self, member: Member) -> None:
        from botocore.exceptions import ClientError

        pointer = {"member_id": {"S": member.id}}
        items = [
            {"id": {"S": f"member#{member.id}"}, **self._member_attributes(member)},
            {"id": {"S": f"username#{username_key(member.username)}"}, **pointer},
            {"id": {"S": f"email#{member.email}"}, **pointer},
        ]
        try:
            self._client.transact_write_items(
                TransactItems=[
                    {
                        "Put": {
                            "TableName": self.table_name,
                            "Item": item,
                            "ConditionExpression": _ABSENT,
                        }
                    }
                    for item in items
                ]
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "TransactionCanceledException":
                raise
            if self._get(f"username#{username_key(member.username)}"):
                raise UsernameTakenError("that username is taken") from None
            if self._get(f"email#{member.email}"):
                raise EmailTakenError("that e-mail address is taken") from None
            raise

    def get(self, member_id: str) -> Member | None:
        item = self._get(f"member#{member_id}")
        return Member.from_json(item["record"]["S"]) if item else None

    def find(self, login: str) -> Member | None:
        login = login.strip()
        key = f"email#{login.lower()}" if "@" in login else f"username#{username_key(login)}"
        pointer = self._get(key)
        return self.get(pointer["member_id"]["S"]) if pointer else None

    def members(self) -> list[Member]:
        paginator = self._client.get_paginator("scan")
        found = []
        for page in paginator.paginate(
            TableName=self.table_name,
            FilterExpression="begins_with(id, :prefix)",
            ExpressionAttributeValues={":prefix": {"S": "member#"}},
            ConsistentRead=True,
        ):
            found.extend(Member.from_json(item["record"]["S"]) for item in page.get("Items", []))
        return sorted(found, key=lambda member: (member.created_at, member.id))

    def save(self, member: Member) -> None:
        from botocore.exceptions import ClientError

        try:
            self._client.put_item(
                TableName=self.table_name,
                Item={"id": {"S": f"member#{member.id}"}, **self._member_attributes(member)},
                ConditionExpression="attribute_exists(id) AND username_key = :u AND email = :e",
                ExpressionAttributeValues={
                    ":u": {"S": username_key(member.username)},
                    ":e": {"S": member.email},
                },
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                raise UnknownMemberError("no such member") from None
            raise

    def remove(self, member_id: str) -> bool:
        """The member and both uniqueness items, in one transaction."""
        member = self.get(member_id)
        if member is None:
            return False
        ids = (
            f"member#{member.id}",
            f"username#{username_key(member.username)}",
            f"email#{member.email}",
        )
        self._client.transact_write_items(
            TransactItems=[
                {"Delete": {"TableName": self.table_name, "Key": {"id": {"S": item_id}}}}
                for item_id in ids
            ]
        )
        return True

    @staticmethod
    def _member_attributes(member: Member) -> dict[str, Any]:
        return {
            "username_key": {"S": username_key(member.username)},
            "email": {"S": member.email},
            "record": {"S": member.to_json()},
        }


class DynamoDBSessionStore(_DynamoDBTable):
    """Sessions, one-time links and rate-limit counters in ``table_name``."""

    def put_session(self, session: Session) -> None:
        self._client.put_item(
            TableName=self.table_name,
            Item={
                "id": {"S": f"session#{session.token_hash}"},
                "member_id": {"S": session.member_id},
                "created_at": {"N": str(epoch(session.created_at))},
                "last_seen": {"N": str(epoch(session.last_seen))},
                "expiration": {"N": str(epoch(session.expires_at))},
            },
        )

    def get_session(self, token_hash: str) -> Session | None:
        item = self._get(f"session#{token_hash}")
        if item is None:
            return None
        return Session(
            token_hash,
            item["member_id"]["S"],
            from_epoch(int(item["created_at"]["N"])),
            from_epoch(int(item["last_seen"]["N"])),
            from_epoch(int(item["expiration"]["N"])),
        )

    def touch_session(self, token_hash: str, last_seen: datetime, expires_at: datetime) -> None:
        from botocore.exceptions import ClientError

        try:
            self._client.update_item(
                TableName=self.table_name,
                Key={"id": {"S": f"session#{token_hash}"}},
                UpdateExpression="SET last_seen = :seen, expiration = :expires",
                ConditionExpression="attribute_exists(id)",
                ExpressionAttributeValues={
                    ":seen": {"N": str(epoch(last_seen))},
                    ":expires": {"N": str(epoch(expires_at))},
                },
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise

    def delete_session(self, token_hash: str) -> None:
        self._client.delete_item(
            TableName=self.table_name, Key={"id": {"S": f"session#{token_hash}"}}
        )

    def delete_sessions_of(self, member_id: str) -> int:
        return self._delete_of(member_id, "session#")

    def delete_tokens_of(self, member_id: str) -> int:
        return self._delete_of(member_id, "token#")

    def _delete_of(self, member_id: str, prefix: str) -> int:
        deleted = 0
        for item_id in self._ids_of_member(member_id):
            if item_id.startswith(prefix):
                self._client.delete_item(TableName=self.table_name, Key={"id": {"S": item_id}})
                deleted += 1
        return deleted

    def _ids_of_member(self, member_id: str) -> Iterator[str]:
        """Ids of the member's sessions and links, by the ``by_member`` index."""
        paginator = self._client.get_paginator("query")
        for page in paginator.paginate(
            TableName=self.table_name,
            IndexName=MEMBER_INDEX,
            KeyConditionExpression="member_id = :member",
            ExpressionAttributeValues={":member": {"S": member_id}},
        ):
            for item in page.get("Items", []):
                yield item["id"]["S"]

    def member_records(self, member_id: str) -> list[dict[str, Any]]:
        records = []
        for item_id in self._ids_of_member(member_id):
            item = self._get(item_id)
            if item is None:
                continue
            if item_id.startswith("session#"):
                times = (item["created_at"], item["last_seen"], item["expiration"])
                records.append(session_record(*(from_epoch(int(t["N"])) for t in times)))
            else:
                expires = from_epoch(int(item["expires_at"]["N"]))
                records.append(link_record(item["purpose"]["S"], expires, item["used"]["BOOL"]))
        return sorted(records, key=lambda record: sorted(record.items()))

    def forget_member(self, member_id: str, counter_keys: Iterable[str] = ()) -> int:
        """Sessions and links by the ``by_member`` index; counters by one scan."""
        deleted = self._delete_of(member_id, "")
        prefixes = tuple(f"{kind}#{key}#" for key in counter_keys for kind in ("hits", "attempts"))
        if not prefixes:
            return deleted
        for page in self._client.get_paginator("scan").paginate(
            TableName=self.table_name, ProjectionExpression="id"
        ):
            for item in page.get("Items", []):
                if item["id"]["S"].startswith(prefixes):
                    self._client.delete_item(TableName=self.table_name, Key={"id": item["id"]})
                    deleted += 1
        return deleted

    def put_token(self, token: OneTimeToken) -> None:
        self._client.put_item(
            TableName=self.table_name,
            Item={
                "id": {"S": f"token#{token.token_hash}"},
                "member_id": {"S": token.member_id},
                "purpose": {"S": token.purpose},
                "expires_at": {"N": str(epoch(token.expires_at))},
                "used": {"BOOL": token.used},
                "expiration": {"N": str(epoch(token.expires_at + TOKEN_RETENTION))},
            },
            ConditionExpression=_ABSENT,
        )

    def get_token(self, token_hash: str) -> OneTimeToken | None:
        item = self._get(f"token#{token_hash}")
        if item is None:
            return None
        return OneTimeToken(
            token_hash,
            item["member_id"]["S"],
            item["purpose"]["S"],
            from_epoch(int(item["expires_at"]["N"])),
            item["used"]["BOOL"],
        )

    def use_token(self, token_hash: str, now: datetime) -> TokenState:
        from botocore.exceptions import ClientError

        try:
            self._client.update_item(
                TableName=self.table_name,
                Key={"id": {"S": f"token#{token_hash}"}},
                UpdateExpression="SET used = :true",
                ConditionExpression="attribute_exists(id) AND used = :false AND expires_at >= :now",
                ExpressionAttributeValues={
                    ":true": {"BOOL": True},
                    ":false": {"BOOL": False},
                    ":now": {"N": str(epoch(now))},
                },
            )
            return TokenState.USED_NOW
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise
        token = self.get_token(token_hash)
        if token is None:
            return TokenState.UNKNOWN
        return TokenState.ALREADY_USED if token.used else TokenState.EXPIRED

    def hits(self, key: str, window: timedelta, now: datetime) -> Hits:
        start, ends = window_bounds(window, now)
        item = self._get(f"hits#{key}#{start}")
        return Hits(int(item["count"]["N"]) if item else 0, ends)

    def add_hit(self, key: str, window: timedelta, now: datetime) -> Hits:
        start, ends = window_bounds(window, now)
        response = self._client.update_item(
            TableName=self.table_name,
            Key={"id": {"S": f"hits#{key}#{start}"}},
            UpdateExpression="ADD #count :one SET expiration = :expires",
            ExpressionAttributeNames={"#count": "count"},
            ExpressionAttributeValues={":one": {"N": "1"}, ":expires": {"N": str(epoch(ends))}},
            ReturnValues="UPDATED_NEW",
        )
        return Hits(int(response["Attributes"]["count"]["N"]), ends)

    def remove_hit(self, key: str, window: timedelta, now: datetime) -> None:
        from botocore.exceptions import ClientError

        start, _ = window_bounds(window, now)
        item_key = {"id": {"S": f"hits#{key}#{start}"}}
        try:
            self._client.update_item(
                TableName=self.table_name,
                Key=item_key,
                UpdateExpression="ADD #count :minus_one",
                ConditionExpression="#count > :zero",
                ExpressionAttributeNames={"#count": "count"},
                ExpressionAttributeValues={":minus_one": {"N": "-1"}, ":zero": {"N": "0"}},
            )
            # A hit given back leaves no trace: the item goes once its count is back to 0.
            self._client.delete_item(
                TableName=self.table_name,
                Key=item_key,
                ConditionExpression="#count <= :zero",
                ExpressionAttributeNames={"#count": "count"},
                ExpressionAttributeValues={":zero": {"N": "0"}},
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise

    def claim_attempt(
        self, key: str, window: timedelta, now: datetime, delay: Callable[[int], timedelta]
    ) -> Attempt:
        """Read the count, then ``ADD`` one on condition that it is still the count read
        and no delay runs: an update that another instance got in first fails and is
        tried again from a fresh read."""
        from botocore.exceptions import ClientError

        start, ends = window_bounds(window, now)
        item_id = f"attempts#{key}#{start}"
        count, next_allowed = 0, epoch(now) + 1
        for _ in range(CLAIM_TRIES):
            item = self._get(item_id) or {}
            count = int(item.get("count", {}).get("N", 0))
            next_allowed = int(item.get("next_allowed", {}).get("N", 0))
            if next_allowed > epoch(now):
                return Attempt(False, count, from_epoch(next_allowed))
            allowed_at = now + delay(count + 1)
            values = {
                ":one": {"N": "1"},
                ":next": {"N": str(epoch(allowed_at))},
                ":expires": {"N": str(epoch(max(ends, allowed_at)))},
            }
            if item:
                condition = "#count = :seen AND next_allowed <= :now"
                values |= {":seen": {"N": str(count)}, ":now": {"N": str(epoch(now))}}
            else:
                condition = _ABSENT
            try:
                self._client.update_item(
                    TableName=self.table_name,
                    Key={"id": {"S": item_id}},
                    UpdateExpression=(
                        "ADD #count :one SET next_allowed = :next, expiration = :expires"
                    ),
                    ConditionExpression=condition,
                    ExpressionAttributeNames={"#count": "count"},
                    ExpressionAttributeValues=values,
                )
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                    raise
                continue
            return Attempt(True, count + 1, allowed_at)
        return Attempt(False, count, from_epoch(max(next_allowed, epoch(now) + 1)))

    def clear_attempts(self, key: str, window: timedelta, now: datetime) -> None:
        start, _ = window_bounds(window, now)
        self._client.delete_item(
            TableName=self.table_name, Key={"id": {"S": f"attempts#{key}#{start}"}}
        )


class DynamoDBApiTokenStore(_DynamoDBTable):
    """API tokens in the members table ``table_name`` (see the module's docstring)."""

    def add_token(self, token: ApiToken) -> None:
        item = {
            "id": {"S": f"apitoken#{token.token_hash}"},
            "token_id": {"S": token.id},
            "member_id": {"S": token.member_id},
            "name": {"S": token.name},
            "created_at": {"N": str(epoch(token.created_at))},
        }
        if token.last_used:
            item["last_used"] = {"N": str(epoch(token.last_used))}
        self._client.transact_write_items(
            TransactItems=[
                {
                    "Put": {
                        "TableName": self.table_name,
                        "Item": item,
                        "ConditionExpression": _ABSENT,
                    }
                },
                self._list_change(token.member_id, "ADD", f"{token.id}:{token.token_hash}"),
            ]
        )

    def token(self, token_hash: str) -> ApiToken | None:
        item = self._get(f"apitoken#{token_hash}")
        if item is None:
            return None
        used = item.get("last_used")
        return ApiToken(
            item["token_id"]["S"],
            token_hash,
            item["member_id"]["S"],
            item["name"]["S"],
            from_epoch(int(item["created_at"]["N"])),
            from_epoch(int(used["N"])) if used else None,
        )

    def tokens_of(self, member_id: str) -> list[ApiToken]:
        found = [self.token(token_hash) for _, token_hash in self._listed(member_id)]
        tokens = [token for token in found if token is not None]
        return sorted(tokens, key=lambda token: (token.created_at, token.id))

    def mark_used(self, token_hash: str, when: datetime) -> None:
        from botocore.exceptions import ClientError

        try:
            self._client.update_item(
                TableName=self.table_name,
                Key={"id": {"S": f"apitoken#{token_hash}"}},
                UpdateExpression="SET last_used = :used",
                ConditionExpression="attribute_exists(id)",
                ExpressionAttributeValues={":used": {"N": str(epoch(when))}},
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise

    def revoke(self, member_id: str, token_id: str) -> bool:
        for listed_id, token_hash in self._listed(member_id):
            if listed_id == token_id:
                self._client.transact_write_items(
                    TransactItems=[
                        {
                            "Delete": {
                                "TableName": self.table_name,
                                "Key": {"id": {"S": f"apitoken#{token_hash}"}},
                            }
                        },
                        self._list_change(member_id, "DELETE", f"{token_id}:{token_hash}"),
                    ]
                )
                return True
        return False

    def member_records(self, member_id: str) -> list[dict[str, Any]]:
        return [token.as_document() for token in self.tokens_of(member_id)]

    def forget_member(self, member_id: str) -> int:
        listed = self._listed(member_id)
        for _, token_hash in listed:
            self._client.delete_item(
                TableName=self.table_name, Key={"id": {"S": f"apitoken#{token_hash}"}}
            )
        self._client.delete_item(
            TableName=self.table_name, Key={"id": {"S": f"apitokens#{member_id}"}}
        )
        return len(listed)

    def _listed(self, member_id: str) -> list[tuple[str, str]]:
        item = self._get(f"apitokens#{member_id}") or {}
        entries = item.get("tokens", {}).get("SS", [])
        return sorted(tuple(entry.split(":", 1)) for entry in entries)  # type: ignore[misc]

    def _list_change(self, member_id: str, action: str, entry: str) -> dict[str, Any]:
        return {
            "Update": {
                "TableName": self.table_name,
                "Key": {"id": {"S": f"apitokens#{member_id}"}},
                "UpdateExpression": f"{action} tokens :entry",
                "ExpressionAttributeValues": {":entry": {"SS": [entry]}},
            }
        }
