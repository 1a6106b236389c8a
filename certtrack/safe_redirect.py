"""The one rule for redirect targets that come from the request (`next`, the referrer):
only a path on this site, otherwise a default. Browsers read `//host`, `/\\host`, a
scheme or a target with a line break or a tab in it as another site or a broken header."""

from urllib.parse import unquote, urlsplit

from flask import request

# Decoding repeatedly catches `/%252F%252Fhost` as well as `/%2F%2Fhost`.
_DECODINGS = 3
# Browsers drop these from a URL before reading it: `/\t/host` is `//host` to them.
_DROPPED = str.maketrans("", "", "\t\n\r")


def local_path(target: str | None, default: str) -> str:
    """`target` if it is a relative path on this site, else `default`."""
    if not target or "\\" in target:
        return default
    if any(char.isspace() or not char.isprintable() for char in target):
        return default  # would break the Location header, or hide a host
    decoded = target
    for _ in range(_DECODINGS):
        if not _stays_here(decoded):
            return default
        decoded = unquote(decoded)
    return target if _stays_here(decoded) else default


def _stays_here(path: str) -> bool:
    path = path.translate(_DROPPED)
    if not path.startswith("/") or path.startswith(("//", "/\\")):
        return False
    parts = urlsplit(path)
    return not parts.scheme and not parts.netloc


def back(default: str) -> str:
    """The page the request came from (its Referer) if it is on this site, else
    `default`: where a refused form goes back to."""
    referrer = request.referrer
    if not referrer:
        return default
    parts = urlsplit(referrer)
    own = urlsplit(request.host_url)
    if (parts.scheme, parts.netloc) != (own.scheme, own.netloc):
        return default
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return local_path(path, default)
