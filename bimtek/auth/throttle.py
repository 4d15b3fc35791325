"""Failure counters for logins and account recovery, kept in the rate limiter's storage.

The counts live where flask-limiter keeps its own (``RATELIMIT_STORAGE_URI``): memory for
one process, ``redis://…`` to share them between every worker and server. Nothing is held
in a process of its own.

Logins are counted two ways, as failures only:

* per account (the normalised email or NIK typed, whether or not such an account exists,
  so the answer tells nothing): ``RATELIMIT_LOGIN_ACCOUNT``, a short window. Reaching it
  locks that account's password login for the rest of the window, whatever the address, so
  guessing one person's password from many addresses is stopped. Whoever locks it (a
  colleague behind the same office NAT, an attacker) can keep it locked only for that
  window at a time, and the owner can get past it at once by account claim or password
  recovery, which clear the count and log them in.
* per address: ``RATELIMIT_LOGIN_ADDRESS_FAILURES``, a broader window, which stops one
  address trying one common password against many NIKs (NIKs are not secret). Every login
  POST is also limited per address by ``RATELIMIT_LOGIN`` (flask-limiter's decorator).
"""

import math
import time
from dataclasses import dataclass

from flask import current_app
from limits import parse

from bimtek.extensions import limiter


@dataclass(frozen=True)
class Lock:
    #: "account" or "address"
    scope: str
    #: whole minutes until the window lets a new attempt through (at least 1)
    minutes: int


def _enabled() -> bool:
    return bool(current_app.config["RATELIMIT_ENABLED"]) and limiter.enabled


def _keys(kind: str, value: str) -> tuple[str, ...]:
    return (current_app.config["RATELIMIT_KEY_PREFIX"], kind, value)


def _item(setting: str):
    return parse(current_app.config[setting])


def _minutes_left(item, keys) -> int:
    reset_at = limiter.limiter.get_window_stats(item, *keys).reset_time
    return max(1, math.ceil((reset_at - time.time()) / 60))


def _locked(setting: str, kind: str, value: str) -> int | None:
    """Minutes left if the counter ``kind``/``value`` is used up, else None."""
    item, keys = _item(setting), _keys(kind, value)
    if limiter.limiter.test(item, *keys):
        return None
    return _minutes_left(item, keys)


def login_lock(account_key: str, address: str) -> Lock | None:
    """Whether a password login for this account from this address is refused for now."""
    if not _enabled():
        return None
    minutes = _locked("RATELIMIT_LOGIN_ACCOUNT", "login-account", account_key)
    if minutes:
        return Lock("account", minutes)
    minutes = _locked("RATELIMIT_LOGIN_ADDRESS_FAILURES", "login-address", address)
    if minutes:
        return Lock("address", minutes)
    return None


def login_failed(account_key: str, address: str) -> None:
    if not _enabled():
        return
    limiter.limiter.hit(_item("RATELIMIT_LOGIN_ACCOUNT"), *_keys("login-account", account_key))
    limiter.limiter.hit(_item("RATELIMIT_LOGIN_ADDRESS_FAILURES"), *_keys("login-address", address))


def account_recovered(account_key: str) -> None:
    """The owner proved who they are: their account's login and recovery counts start over."""
    if not _enabled():
        return
    limiter.limiter.clear(_item("RATELIMIT_LOGIN_ACCOUNT"), *_keys("login-account", account_key))
    limiter.limiter.clear(
        _item("RATELIMIT_RECOVERY_ACCOUNT"), *_keys("recovery-account", account_key)
    )


def recovery_lock(account_key: str) -> int | None:
    """Minutes left if too many wrong proofs were given for this NIK, else None."""
    if not _enabled():
        return None
    return _locked("RATELIMIT_RECOVERY_ACCOUNT", "recovery-account", account_key)


def recovery_failed(account_key: str) -> None:
    if _enabled():
        limiter.limiter.hit(
            _item("RATELIMIT_RECOVERY_ACCOUNT"), *_keys("recovery-account", account_key)
        )


def link_allowed(account_key: str) -> bool:
    """Counts one request for a claim/recovery link by email for this account (a NIK, an
    address or a user); False once ``RATELIMIT_ACCOUNT_LINK`` is used up."""
    if not _enabled():
        return True
    return limiter.limiter.hit(_item("RATELIMIT_ACCOUNT_LINK"), *_keys("account-link", account_key))
