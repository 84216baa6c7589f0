"""One webhook delivery over HTTP: the signed request (Standard Webhooks), a POST with a total
deadline, and the policy that turns the receiver's answers into an outcome.

Signature (https://www.standardwebhooks.com): `webhook-id` is the delivery id (the same on every
retry of one document version, so receivers de-duplicate on it), `webhook-timestamp` the Unix time of
this attempt, `webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`. A secret
`whsec_<base64>` signs with the bytes it encodes; any other secret (subscriptions made before this
signature) with its UTF-8 bytes, which is the Standard Webhooks secret `whsec_` + base64(secret).
Receivers verify with a maintained library and refuse old timestamps, so a captured delivery cannot
be replayed.

Deadline: every socket operation of one POST (connect, send, status line, each header, body) ends by
one absolute deadline, so a receiver that drips a header line every few seconds (each read well
within a per-read timeout) is cut off at the deadline, not after minutes.

Policy per attempt: 2xx delivered; 408, 425, 429, 5xx, timeouts and network errors are retried with
exponential backoff (a `Retry-After` is honoured when it fits the time left, else the delivery stops
for this call); any other answer (4xx, or a 3xx: redirects are not followed) means the receiver
refuses this document: after `max_refusals` such answers it is parked. Not done here: vetting the
target address (`subscription_store.check_target_url`), the cursor and the log (`subscriptions`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from pipeline import outbound
from pipeline.outbound import AllowPrivate

DELIVERY_HEADER = "X-Border-Watch-Delivery"
SUBSCRIPTION_HEADER = "X-Border-Watch-Subscription"
SECRET_PREFIX = "whsec_"
RETRIED_STATUSES = frozenset({408, 425, 429})

# --- Signing -------------------------------------------------------------------------------------


def signing_key(secret: str) -> bytes:
    """The HMAC key of a secret: what a `whsec_` secret encodes, else the secret's UTF-8 bytes."""
    if secret.startswith(SECRET_PREFIX):
        return base64.b64decode(secret[len(SECRET_PREFIX) :] + "==")
    return secret.encode("utf-8")


def standard_secret(secret: str) -> str:
    """The `whsec_...` form of a secret, as Standard Webhooks libraries take it on the receiving side."""
    if secret.startswith(SECRET_PREFIX):
        return secret
    return SECRET_PREFIX + base64.b64encode(signing_key(secret)).decode("ascii")


def new_secret() -> str:
    """A fresh secret in the Standard Webhooks form (32 random bytes)."""
    import secrets

    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode("ascii")


def signature(secret: str, delivery: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` value: `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`."""
    signed = f"{delivery}.{timestamp}.".encode() + body
    digest = hmac.new(signing_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def signed_headers(secret: str, delivery: str, subscription: str, body: bytes, user_agent: str) -> dict:
    """The headers of one attempt, signed at this moment."""
    timestamp = int(time.time())
    return {
        "Content-Type": "application/json",
        "webhook-id": delivery,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(secret, delivery, timestamp, body),
        DELIVERY_HEADER: delivery,
        SUBSCRIPTION_HEADER: subscription,
        "User-Agent": user_agent,
    }


def delivery_id(subscription: str, document: dict[str, Any]) -> str:
    """Same for every attempt at one document version for one subscription."""
    key = f"{subscription}\x00{document.get('id')}\x00{document.get('ingest_seq')}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def delivery_body(subscription: str, cursor: str, document: dict[str, Any], delivery: str) -> bytes:
    """The JSON body of one delivery (bytes exactly as signed and sent)."""
    payload = {"delivery_id": delivery, "subscription": subscription, "cursor": cursor, "document": document}
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


# --- A POST with a total deadline ----------------------------------------------------------------


def http_client(read_timeout_s: float = 10.0, allow_private: AllowPrivate = False) -> httpx.Client:
    """The client deliveries use: the vetted client of `pipeline.outbound`, as for feeds and pages
    (every address checked as it is connected, no proxies from the environment, no redirects)."""
    return outbound.client(allow_private=allow_private, timeout=read_timeout_s)


def post(http: httpx.Client, url: str, body: bytes, headers: dict[str, str], deadline_s: float):
    """POST within `deadline_s` seconds in all (headers and body of the answer included)."""
    with outbound.deadline(deadline_s):
        return http.post(url, content=body, headers=headers)


# --- Policy --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    kind: str  # delivered | parked (refused by the receiver) | failed (retried later) | budget
    attempts: int
    http_status: int | None = None
    error: str | None = None


@dataclass(frozen=True)
class Policy:
    max_attempts: int = 4  # tries of one document per call when the failures are retried ones
    max_refusals: int = 3  # 4xx answers to one document before it is parked
    backoff_s: float = 1.0  # first wait; doubled after each try
    post_deadline_s: float = 10.0  # total time of one POST
    read_timeout_s: float = 10.0


def retry_after_s(response: httpx.Response) -> float | None:
    """The wait a `Retry-After` header asks for (seconds or an HTTP date), or None."""
    value = (response.headers.get("retry-after") or "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def _classify(response: httpx.Response) -> str:
    status = response.status_code
    if 200 <= status < 300:
        return "delivered"
    if status >= 500 or status in RETRIED_STATUSES:
        return "retry"
    return "refused"


def attempt_delivery(http: httpx.Client, url: str, body: bytes, sign, policy: Policy, deadline: float):
    """Try one document until delivered, parked, out of retried tries, or out of time (`deadline`,
    monotonic): the Outcome. `sign()` gives each attempt's headers (a fresh timestamp each time)."""
    attempts = refusals = 0
    status: int | None = None
    error: str | None = None
    while True:
        left = deadline - time.monotonic()
        if left <= 0.05:
            return Outcome("budget", attempts, status, error or "time budget of this call used up")
        attempts += 1
        wait: float | None = None
        try:
            response = post(http, url, body, sign(), min(policy.post_deadline_s, left))
            status, kind = response.status_code, _classify(response)
            error = None if kind == "delivered" else f"HTTP {status}"
            wait = retry_after_s(response)
        except httpx.HTTPError as exc:
            status, kind, error = None, "retry", f"{type(exc).__name__}: {exc}"
        if kind == "delivered":
            return Outcome("delivered", attempts, status)
        if kind == "refused":
            refusals += 1
            if refusals >= policy.max_refusals:
                return Outcome("parked", attempts, status, error)
        elif attempts - refusals >= policy.max_attempts:
            return Outcome("failed", attempts, status, error)
        wait = policy.backoff_s * 2 ** (attempts - 1) if wait is None else wait
        if time.monotonic() + wait >= deadline:
            return Outcome("budget", attempts, status, f"{error}; next try would be after the time budget")
        time.sleep(wait)
