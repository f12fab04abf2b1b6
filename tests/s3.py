"""An S3-compatible server for the tests: moto's, started on a free port of the
loopback, with a bucket the portal's storage writes to."""

import pytest

BUCKET = "rncrpv-media-test"
REGION = "eu-west-3"
KEYS = {"access_key": "test-access-key", "secret_key": "test-secret-key"}


@pytest.fixture(scope="session")
def moto_server():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def storage_settings(endpoint, **options):
    """STORAGES as base.py builds them when S3_BUCKET is set (same storage and options)."""
    from botocore.config import Config

    return {
        "default": {
            "BACKEND": "portal.s3.KeepNameS3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": endpoint,
                "region_name": REGION,
                **KEYS,
                "querystring_expire": 300,
                "file_overwrite": False,
                "default_acl": None,
                # Timeouts and retries: the storage's own (portal.s3.bounded_waits).
                "client_config": Config(
                    signature_version="s3v4",
                    s3={"addressing_style": "path"},
                ),
                **options,
            },
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def bucket(moto_server, settings):
    """An empty bucket, and the portal's media in it."""
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=moto_server,
        region_name=REGION,
        aws_access_key_id=KEYS["access_key"],
        aws_secret_access_key=KEYS["secret_key"],
    )
    existing = [b["Name"] for b in client.list_buckets()["Buckets"]]
    if BUCKET in existing:
        for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
            client.delete_object(Bucket=BUCKET, Key=item["Key"])
    else:
        client.create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION}
        )
    settings.STORAGES = storage_settings(moto_server)
    settings.WAGTAILDOCS_SERVE_METHOD = "redirect"
    return client


def keys(client):
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))
