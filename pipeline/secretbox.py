"""Secrets at rest: webhook subscription secrets are stored encrypted (Fernet: AES-128-CBC with an
HMAC-SHA256 tag), never in clear, with keys from the environment.

Keys: `BORDER_SECRET_KEY`, else Airflow's own `AIRFLOW__CORE__FERNET_KEY` (so a deployment that has
one key for Airflow's connections needs no second). Either holds one or more Fernet keys separated by
commas, newest first, as Airflow's does: the first encrypts, all of them decrypt (`MultiFernet`), so a
key is rotated by putting the new one in front, running `python -m pipeline subscriptions rotate-key`
(every stored secret re-encrypted with the new key), then dropping the old one.

What this does not do: keep the key itself safe (that is the deployment's environment), nor hide a
secret from code that holds the key (delivery must sign with the secret in clear, in memory only).
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

KEY_ENV = "BORDER_SECRET_KEY"
AIRFLOW_KEY_ENV = "AIRFLOW__CORE__FERNET_KEY"


class SecretKeyError(ValueError):
    """No usable key, or a stored secret that none of the configured keys decrypts."""


def keys(env: Mapping[str, str] | None = None) -> list[str]:
    """The configured Fernet keys, newest first (empty when neither variable is set)."""
    e = os.environ if env is None else env
    value = e.get(KEY_ENV) or e.get(AIRFLOW_KEY_ENV) or ""
    return [k.strip() for k in value.split(",") if k.strip()]


def _fernet(env: Mapping[str, str] | None = None) -> MultiFernet:
    configured = keys(env)
    if not configured:
        raise SecretKeyError(
            f"no key to encrypt webhook secrets with: set {KEY_ENV} (make one with "
            f"`python -m pipeline subscriptions new-key`) or Airflow's {AIRFLOW_KEY_ENV}"
        )
    try:
        return MultiFernet([Fernet(k) for k in configured])
    except ValueError:
        # The message never repeats the value: it is a key.
        raise SecretKeyError(
            f"{KEY_ENV} / {AIRFLOW_KEY_ENV} must hold Fernet keys (32 url-safe base64-encoded bytes), "
            "separated by commas"
        ) from None


def new_key() -> str:
    """A fresh Fernet key, for `BORDER_SECRET_KEY`."""
    return Fernet.generate_key().decode("ascii")


def seal(secret: str, env: Mapping[str, str] | None = None) -> str:
    """`secret` encrypted with the newest key (a token that is safe to store)."""
    return _fernet(env).encrypt(secret.encode("utf-8")).decode("ascii")


def unseal(token: str, env: Mapping[str, str] | None = None) -> str:
    """The secret a token holds; `SecretKeyError` when no configured key opens it."""
    try:
        return _fernet(env).decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken:
        raise SecretKeyError(
            f"a stored secret cannot be decrypted with the keys in {KEY_ENV} / {AIRFLOW_KEY_ENV}: "
            "was a key dropped before `subscriptions rotate-key` re-encrypted everything with the new one?"
        ) from None


def reseal(token: str, env: Mapping[str, str] | None = None) -> str:
    """The same secret encrypted with the newest key (for rotation)."""
    try:
        return _fernet(env).rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken:
        raise SecretKeyError(
            f"a stored secret cannot be decrypted with the keys in {KEY_ENV} / {AIRFLOW_KEY_ENV}"
        ) from None
