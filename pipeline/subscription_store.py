"""Webhook subscriptions as records in `<prefix>-subscriptions`: one per name (the document id), with
the target URL, filters, the cursor delivery has reached, the secret (encrypted, `pipeline.secretbox`)
and the delivery health that operators read.

Names are checked before any request (1-128 letters, digits, `.`, `_`, `-`), and adding a name that
exists is refused unless it is a deliberate replacement. No function here returns, prints or logs a
secret: listings leave it out, and only `signing_secret` (used by delivery, in memory) decrypts one.

`health` on each record (written after every delivery call, read by the run summary and the operators'
view): `status` is `ok`, `retrying` (the last call stopped on failures that are retried: timeouts,
network errors, 408/425/429/5xx, or the time budget ran out) or `unhealthy` (documents were refused
by the receiver and parked: `parked` of them wait in the subscription's own dead-letter list, the
deliveries with status `parked`), plus `consecutive_failures` (calls in a row that stopped),
`last_http_status`, `last_error`, `last_error_at`, `last_delivered_at`, `last_call_at`,
`last_call_delivered`, `last_call_parked`.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from typing import Any

from elasticsearch import ConflictError, Elasticsearch, NotFoundError

from pipeline import mappings, outbound, secretbox
from pipeline.article_index import missing_properties
from pipeline.changes import current_cursor
from pipeline.elastic import ensure_index
from pipeline.search import Filters
from pipeline.settings import Settings

SUBSCRIPTIONS_MAPPING: dict[str, Any] = mappings.load_mapping("subscriptions")
DELIVERIES_MAPPING: dict[str, Any] = mappings.load_mapping("deliveries")

MAX_NAME_CHARS = 128
# Fields never sent back: the sealed secret, and the clear one of a record stored before encryption.
_SECRET_FIELDS = ("secret_sealed", "secret")


class SubscriptionExists(ValueError):
    """`add` with a name that is taken (replace deliberately, or pick another name)."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _name_char(char: str) -> bool:
    # Letters and digits of any script, with their combining marks (Hindi vowel signs), and . _ -
    return char.isalnum() or char in "._-" or unicodedata.category(char).startswith("M")


def check_name(name: str) -> str:
    """`name` if it can name a subscription; a `ValueError` that says why not otherwise."""
    if not name or len(name) > MAX_NAME_CHARS or not name[0].isalnum() or not all(map(_name_char, name)):
        shown = name if len(name) <= 40 else f"{name[:40]}… ({len(name)} characters)"
        raise ValueError(
            f"a subscription name is 1-{MAX_NAME_CHARS} letters, digits, '.', '_' or '-', starting with a "
            f"letter or digit: {shown!r} is not"
        )
    return name


def check_target_url(url: str, settings: Settings) -> None:
    """Refuse a target that is not an http(s) URL, and one whose host has a non-public address
    (the address classes of `pipeline.outbound`, as for feeds) unless the settings allow them."""
    outbound.vet_target(url, allow_private=settings.allow_private_networks)


_CURRENT: set[str] = set()  # subscription indices this process has brought up to the mapping file


def ensure_indices(es: Elasticsearch, settings: Settings) -> None:
    """Create the subscriptions and deliveries indices; an index made by an earlier version gets the
    fields it lacks (the sealed secret, health), once per process."""
    for kind, mapping in (("subscriptions", SUBSCRIPTIONS_MAPPING), ("deliveries", DELIVERIES_MAPPING)):
        name = settings.index(kind)
        if ensure_index(es, name, mapping) or name in _CURRENT:
            _CURRENT.add(name)
            continue
        current = es.indices.get_mapping(index=name)[name]["mappings"].get("properties", {})
        patch = missing_properties(mapping["properties"], current)
        if patch:
            es.indices.put_mapping(index=name, properties=patch)
        _CURRENT.add(name)


def add_subscription(
    es: Elasticsearch,
    settings: Settings,
    name: str,
    url: str,
    secret: str,
    filters: Filters | None = None,
    *,
    from_beginning: bool = False,
    replace: bool = False,
) -> dict[str, Any]:
    """Store a subscription; it receives documents indexed from now on, or all of them with
    `from_beginning`. A name that exists is refused (`SubscriptionExists`) unless `replace`.
    The secret is stored encrypted; the record is returned without it."""
    check_name(name)
    if not secret:
        raise ValueError("a subscription needs a secret")
    check_target_url(url, settings)
    sealed = secretbox.seal(secret)  # before any write: no key, no subscription
    ensure_indices(es, settings)
    now = _now()
    doc = {
        "name": name,
        "url": url,
        "secret_sealed": sealed,
        "filters": (filters or Filters()).to_dict(),
        "cursor": "0" if from_beginning else current_cursor(es, settings),
        "created_at": now,
        "updated_at": now,
        "health": {"status": "ok", "parked": 0, "consecutive_failures": 0},
    }
    try:
        es.index(
            index=settings.index("subscriptions"),
            id=name,
            document=doc,
            refresh=True,
            op_type="index" if replace else "create",
        )
    except ConflictError:
        raise SubscriptionExists(
            f"a subscription named {name!r} exists: remove it first, or replace it (--replace)"
        ) from None
    return public(doc)


def public(record: dict[str, Any]) -> dict[str, Any]:
    """A subscription record without any form of its secret."""
    return {k: v for k, v in record.items() if k not in _SECRET_FIELDS}


def list_subscriptions(es: Elasticsearch, settings: Settings) -> list[dict[str, Any]]:
    """All subscriptions, without their secrets."""
    if not es.indices.exists(index=settings.index("subscriptions")):
        return []
    hits = es.search(
        index=settings.index("subscriptions"),
        query={"match_all": {}},
        sort=[{"name": "asc"}],
        size=1000,
        source_excludes=list(_SECRET_FIELDS),
    )["hits"]["hits"]
    return [h["_source"] for h in hits]


def get_record(es: Elasticsearch, settings: Settings, name: str) -> dict[str, Any] | None:
    """The stored record (real-time GET: the cursor as the last call left it), secret still sealed."""
    try:
        return es.get(index=settings.index("subscriptions"), id=name)["_source"]
    except NotFoundError:
        return None


def remove_subscription(es: Elasticsearch, settings: Settings, name: str) -> bool:
    """Delete a subscription; False if there was none of that name."""
    if len(name.encode("utf-8")) > 512:  # longer than any document id: there is none of that name
        return False
    try:
        es.delete(index=settings.index("subscriptions"), id=name, refresh=True)
    except NotFoundError:
        return False
    return True


def signing_secret(es: Elasticsearch, settings: Settings, record: dict[str, Any]) -> str:
    """The clear secret of a record, to sign with. A record stored before encryption (clear `secret`)
    is sealed now and rewritten without it, so it is in clear at most until its first delivery."""
    if record.get("secret_sealed"):
        return secretbox.unseal(record["secret_sealed"])
    clear = record.get("secret")
    if not clear:
        raise secretbox.SecretKeyError(f"subscription {record.get('name')!r} has no secret")
    _rewrite_sealed(es, settings, record, secretbox.seal(clear))
    return clear


def _rewrite_sealed(es: Elasticsearch, settings: Settings, record: dict[str, Any], sealed: str) -> None:
    ensure_indices(es, settings)
    doc = {**public(record), "secret_sealed": sealed, "updated_at": _now()}
    es.index(index=settings.index("subscriptions"), id=record["name"], document=doc, refresh=True)


def rotate_key(es: Elasticsearch, settings: Settings) -> int:
    """Re-encrypt every stored secret with the newest configured key (and seal any stored in clear);
    returns how many records were rewritten. Run it after putting a new key first in
    `BORDER_SECRET_KEY`, before dropping the old one."""
    rewritten = 0
    for sub in list_subscriptions(es, settings):
        record = get_record(es, settings, sub["name"])
        if record is None:
            continue
        if record.get("secret_sealed"):
            sealed = secretbox.reseal(record["secret_sealed"])
        elif record.get("secret"):
            sealed = secretbox.seal(record["secret"])
        else:
            continue
        _rewrite_sealed(es, settings, record, sealed)
        rewritten += 1
    return rewritten


def save_cursor(es: Elasticsearch, settings: Settings, name: str, cursor: str) -> None:
    """Move a subscription's cursor (only ever past documents delivered or parked)."""
    es.update(index=settings.index("subscriptions"), id=name, doc={"cursor": cursor, "updated_at": _now()})


def save_health(es: Elasticsearch, settings: Settings, name: str, health: dict[str, Any]) -> None:
    """Write the health fields of a subscription after a delivery call."""
    es.update(
        index=settings.index("subscriptions"),
        id=name,
        doc={"health": health, "updated_at": _now()},
        refresh=True,
    )
