"""The bundle shelf, local directory and S3 (moto): the same behaviour on both."""

import stat

import pytest

from tests.conftest import BUNDLE_BUCKET
from uglymugs.alerts.shelf import ShelfConflictError, check_name
from uglymugs.alerts.shelf.s3 import S3BundleShelf


def test_files_round_trip(bundle_shelf):
    assert bundle_shelf.get("seq-000001/alerts-all.json") is None
    bundle_shelf.put("seq-000001/alerts-all.json", b'{"a":1}')
    assert bundle_shelf.get("seq-000001/alerts-all.json") == b'{"a":1}'


def test_files_are_never_replaced(bundle_shelf):
    bundle_shelf.put("seq-000001/alerts-all.json", b"first")
    bundle_shelf.put("seq-000001/alerts-all.json", b"first")  # a retry: fine
    with pytest.raises(ShelfConflictError, match="other bytes"):
        bundle_shelf.put("seq-000001/alerts-all.json", b"second")
    assert bundle_shelf.get("seq-000001/alerts-all.json") == b"first"


def test_the_manifest_is_replaced(bundle_shelf):
    assert bundle_shelf.get_manifest() is None
    bundle_shelf.put_manifest(b"one")
    bundle_shelf.put_manifest(b"two")
    assert bundle_shelf.get_manifest() == b"two"


def test_names_and_delete(bundle_shelf):
    for name in ("seq-000001/a.json", "seq-000001/b.json", "seq-000002/a.json", "changes/x.json"):
        bundle_shelf.put(name, name.encode())
    bundle_shelf.put_manifest(b"m")
    assert bundle_shelf.names() == [
        "changes/x.json",
        "seq-000001/a.json",
        "seq-000001/b.json",
        "seq-000002/a.json",
    ]
    assert bundle_shelf.names("seq-000001/") == ["seq-000001/a.json", "seq-000001/b.json"]
    bundle_shelf.delete(["seq-000001/a.json", "seq-000001/b.json", "seq-000001/gone.json"])
    assert bundle_shelf.names("seq-") == ["seq-000002/a.json"]
    assert bundle_shelf.get_manifest() == b"m"
    bundle_shelf.delete([])


@pytest.mark.parametrize(
    "name",
    [
        "",
        "/abs.json",
        "../up.json",
        "seq-1/../../x",
        ".hidden",
        "Upper.json",
        "a//b",
        "manifest.json",
    ],
)
def test_unsafe_names_are_refused(bundle_shelf, name):
    with pytest.raises(ValueError, match="not a valid bundle shelf name"):
        bundle_shelf.put(name, b"x")
    with pytest.raises(ValueError):
        check_name(name)


def test_local_files_are_private_and_leave_no_temporary_files(local_bundle_shelf):
    local_bundle_shelf.put("seq-000001/alerts-all.json", b"x")
    local_bundle_shelf.put_manifest(b"m")
    root = local_bundle_shelf.root
    for path in [root, *root.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), path
    assert sorted(p.name for p in root.rglob("*")) == [
        "alerts-all.json",
        "manifest.json",
        "seq-000001",
    ]


def test_delete_removes_emptied_directories(local_bundle_shelf):
    local_bundle_shelf.put("seq-000001/a.json", b"x")
    local_bundle_shelf.delete(["seq-000001/a.json"])
    assert not (local_bundle_shelf.root / "seq-000001").exists()


def test_s3_objects_are_kms_encrypted_and_typed(aws_bundle_shelf):
    aws_bundle_shelf.put("seq-000001/alerts-all.html", b"<html>")
    aws_bundle_shelf.put_manifest(b"{}")
    s3 = aws_bundle_shelf._client
    page = s3.head_object(Bucket=BUNDLE_BUCKET, Key="seq-000001/alerts-all.html")
    assert page["ServerSideEncryption"] == "aws:kms"
    assert page["SSEKMSKeyId"].endswith(aws_bundle_shelf.kms_key_id)
    assert page["ContentType"] == "text/html; charset=utf-8"
    assert "immutable" in page["CacheControl"]
    manifest = s3.head_object(Bucket=BUNDLE_BUCKET, Key="manifest.json")
    assert manifest["ServerSideEncryption"] == "aws:kms"
    assert manifest["CacheControl"] == "private, no-cache"


def test_s3_client_is_made_on_first_use(aws_bundle_shelf):
    shelf = S3BundleShelf(BUNDLE_BUCKET)
    assert shelf._s3 is None
    shelf.put("seq-000001/a.json", b"x")
    assert shelf.get("seq-000001/a.json") == b"x"
    assert shelf._s3 is not None


def test_s3_deletes_in_batches(aws_bundle_shelf):
    names = [f"seq-000001/{index:05d}.json" for index in range(1005)]
    for name in names:
        aws_bundle_shelf.put(name, b"x")
    aws_bundle_shelf.delete(names)
    assert aws_bundle_shelf.names() == []
