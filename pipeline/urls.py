"""Canonical URLs and the outlet a URL belongs to.

Two links to the same article should compare equal after `canonical_url`: the scheme and host are
lower-cased, the fragment, tracking parameters and AMP variants are dropped, and the remaining
query parameters are sorted. Nothing is fetched: this is string work only.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Parameters that only say how a reader arrived, never which article it is.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "ref",
        "ref_src",
        "ref_url",
        "referrer",
        "source",
        "src",
        "cmpid",
        "cmp",
        "ito",
        "icid",
        "ncid",
        "ns_mchannel",
        "ns_source",
        "ns_campaign",
        "ns_linkname",
        "ns_fee",
        "_ga",
        "_gl",
        "spm",
        "share",
        "from",
        "amp",
        "outputtype",
        "usqp",
        "utm",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "at_")
_AMP_SEGMENT = re.compile(r"/amp(?=/|$)", re.IGNORECASE)
_AMP_SUFFIX = re.compile(r"(?:[-_.]amp|\.amp\.html)$", re.IGNORECASE)
_MULTI_SLASH = re.compile(r"/{2,}")
# Second-level labels under which outlets register (example.co.in, example.gov.in, example.com.au ...).
_SECOND_LEVEL = frozenset({"co", "com", "gov", "nic", "org", "net", "ac", "edu", "res", "gen", "firm", "ind"})
_HOST_PREFIXES = ("www.", "www1.", "www2.", "m.", "amp.", "mobile.", "english.", "hindi.")


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


@lru_cache(maxsize=65536)
def canonical_url(url: str | None) -> str | None:
    """The canonical form of `url` (None or '' stays None; a string that is not a URL is returned
    stripped)."""
    if not url:
        return None
    url = "".join(url.split())  # pretty-printed feeds break long links over lines; a URL has no whitespace
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return url
    scheme = parts.scheme.lower()
    if scheme == "http":
        scheme = "https"  # outlets serve the same article on both; https is the one that lasts
    host = (parts.hostname or "").lower().rstrip(".")
    if host.startswith("amp."):
        host = "www." + host[4:] if host.count(".") == 2 else host[4:]
    port = parts.port
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    path = _MULTI_SLASH.sub("/", parts.path or "/")
    path = _AMP_SEGMENT.sub("", path) or "/"
    path = _AMP_SUFFIX.sub("", path) if not path.endswith("/") else path
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/") or "/"
    # Some sites (mea.gov.in: "?dtl/34000/...") put the article id in a bare query string.
    if parts.query and "=" not in parts.query and "&" not in parts.query:
        query = "" if _is_tracking(parts.query) else parts.query
    else:
        pairs = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)]
        query = urlencode(sorted(pairs), doseq=True)
    return urlunsplit((scheme, netloc, path, query, ""))


@lru_cache(maxsize=16384)
def source_of(url: str | None) -> str | None:
    """The outlet's registered domain: 'https://www.hindustantimes.com/x' -> 'hindustantimes.com'."""
    if not url:
        return None
    host = (urlsplit(url.strip()).hostname or "").lower().rstrip(".")
    if not host:
        return None
    labels = host.split(".")
    if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2:
        return ".".join(labels[-3:])
    for prefix in _HOST_PREFIXES:
        if host.startswith(prefix) and host.count(".") >= 2:
            host = host[len(prefix) :]
            break
    return host
