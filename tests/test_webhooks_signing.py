"""Webhook signatures checked by the `standardwebhooks` library as the receiver would, and secrets
sealed at rest (pure: no Elasticsearch, no network)."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

import pytest
import standardwebhooks.webhooks as swh
from standardwebhooks import Webhook

from pipeline import secretbox, webhooks

BODY = (
    b'{"delivery_id":"d1","document":{"id":"a-0","title":"\xe0\xa4\xb8\xe0\xa5\x80\xe0\xa4\xae\xe0\xa4\xbe"}}'
)


def _headers(secret: str, body: bytes = BODY) -> dict[str, str]:
    return webhooks.signed_headers(secret, "d1", "desk", body, "border-watch-test")


class _Later(datetime):
    """The receiver's clock six minutes on: past the library's five-minute tolerance."""

    @classmethod
    def now(cls, tz=None):
        return datetime.now(tz) + timedelta(minutes=6)


@pytest.mark.parametrize("secret", [webhooks.new_secret(), "a plain secret from before whsec_"])
def test_a_fresh_delivery_verifies_with_the_standard_webhooks_library(secret):
    headers = _headers(secret)
    payload = Webhook(webhooks.standard_secret(secret)).verify(BODY, headers)
    assert payload["document"]["id"] == "a-0"
    assert headers["webhook-id"] == headers[webhooks.DELIVERY_HEADER] == "d1"


def test_a_tampered_body_is_refused():
    secret = webhooks.new_secret()
    headers = _headers(secret)
    with pytest.raises(swh.WebhookVerificationError, match="No matching signature"):
        Webhook(secret).verify(BODY.replace(b"a-0", b"a-1"), headers)


def test_another_secret_is_refused():
    headers = _headers(webhooks.new_secret())
    with pytest.raises(swh.WebhookVerificationError, match="No matching signature"):
        Webhook(webhooks.new_secret()).verify(BODY, headers)


def test_a_replay_older_than_the_tolerance_is_refused(monkeypatch):
    secret = webhooks.new_secret()
    headers = _headers(secret)
    Webhook(secret).verify(BODY, headers)  # accepted when it arrives
    monkeypatch.setattr(swh, "datetime", _Later)
    with pytest.raises(swh.WebhookVerificationError, match="too old"):
        Webhook(secret).verify(BODY, headers)


def test_the_signature_is_hmac_sha256_of_id_timestamp_and_body():
    import hashlib
    import hmac

    secret = "whsec_" + base64.b64encode(b"k" * 32).decode()
    expected = hmac.new(b"k" * 32, b"d1.1700000000." + BODY, hashlib.sha256).digest()
    assert (
        webhooks.signature(secret, "d1", 1_700_000_000, BODY) == "v1," + base64.b64encode(expected).decode()
    )


def test_a_new_secret_is_32_random_bytes_in_standard_form():
    first, second = webhooks.new_secret(), webhooks.new_secret()
    assert first != second
    assert len(webhooks.signing_key(first)) == 32
    assert webhooks.standard_secret(first) == first


def test_retry_after_in_seconds_or_as_an_http_date():
    import httpx

    later = (datetime.now(UTC) + timedelta(seconds=30)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    waits = [
        webhooks.retry_after_s(httpx.Response(429, headers=h))
        for h in ({"Retry-After": "7"}, {"Retry-After": later}, {"Retry-After": "soon"}, {})
    ]
    assert waits[0] == 7.0
    assert 28 <= waits[1] <= 30
    assert waits[2:] == [None, None]


# --- Secrets at rest -------------------------------------------------------------------------------


def test_a_sealed_secret_is_not_the_secret_and_opens_with_the_key():
    env = {secretbox.KEY_ENV: secretbox.new_key()}
    sealed = secretbox.seal("whsec_c2VjcmV0", env)
    assert "c2VjcmV0" not in sealed
    assert secretbox.unseal(sealed, env) == "whsec_c2VjcmV0"


def test_airflows_fernet_key_is_used_when_border_secret_key_is_unset():
    env = {secretbox.AIRFLOW_KEY_ENV: secretbox.new_key()}
    assert secretbox.unseal(secretbox.seal("s", env), env) == "s"


def test_rotation_re_encrypts_with_the_newest_key_so_the_old_one_can_go():
    old, new = secretbox.new_key(), secretbox.new_key()
    sealed = secretbox.seal("s", {secretbox.KEY_ENV: old})
    rotated = secretbox.reseal(sealed, {secretbox.KEY_ENV: f"{new},{old}"})
    assert secretbox.unseal(rotated, {secretbox.KEY_ENV: new}) == "s"
    with pytest.raises(secretbox.SecretKeyError, match="cannot be decrypted"):
        secretbox.unseal(sealed, {secretbox.KEY_ENV: new})


def test_no_key_or_a_malformed_key_is_a_clear_error_that_does_not_repeat_the_value():
    with pytest.raises(secretbox.SecretKeyError, match="BORDER_SECRET_KEY"):
        secretbox.seal("s", {})
    with pytest.raises(secretbox.SecretKeyError) as caught:
        secretbox.seal("s", {secretbox.KEY_ENV: "not-a-fernet-key-123"})
    assert "not-a-fernet-key-123" not in str(caught.value)


def test_the_delivery_client_ignores_proxies_from_the_environment(monkeypatch):
    from tests.integration.receiver import Receiver

    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "all_proxy"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")  # nothing listens: a proxied POST would fail
    monkeypatch.setenv("NO_PROXY", "")
    with Receiver() as receiver, webhooks.http_client(allow_private=True) as client:
        response = webhooks.post(client, receiver.url("/hook"), BODY, {}, deadline_s=5.0)
    assert (response.status_code, [r.body for r in receiver.received]) == (200, [BODY])
