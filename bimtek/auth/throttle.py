"""Failure counters for logins and account recovery, kept in the rate limiter's storage.

The counts live where flask-limiter keeps its own (``RATELIMIT_STORAGE_URI``): memory for
one process, ``redis://…`` to share them between every worker and server. Nothing is held
in a process of its own.

A correct proof always works: nothing an attacker does from elsewhere stops the owner's
right password, real ticket or fresh activation code. So no count is kept per account
alone (ten wrong tries for a NIK used to lock it for everyone, its owner included). Wrong
proofs are counted by where they come from and by what was tried:

* **login**, failures only: per identifier+address pair (``RATELIMIT_LOGIN_ACCOUNT_ADDRESS``,
  the identifier normalised whether or not such an account exists, so the answer tells
  nothing), and per address over every account (``RATELIMIT_LOGIN_ADDRESS_FAILURES``, which
  stops one address trying one common password against many NIKs). Every login POST is
  also limited per address by ``RATELIMIT_LOGIN`` (flask-limiter's decorator).
* **claim and recovery**: wrong proofs per address (``RATELIMIT_ACCOUNT_RECOVERY``,
  flask-limiter's decorator on the pages, counting only answers that are not a success)
  and per code value tried (``RATELIMIT_RECOVERY_PROOF``: one ticket code seen on a photo,
  tried against many NIKs from many addresses).

A lock found by address or pair refuses the attempt without checking it, the right one
too: an owner behind the attacker's address (one office NAT) gets in from another address,
or by claim/recovery, which clears the pair for that address and logs them in.

How much guessing this leaves, with the defaults (bimtek/config.py):

* login, one account from one address: 5 failures per 10 minutes and 20 per day for the
  pair, so at most **20 guesses an hour and 20 a day**; one address over every account at
  most 200 failures an hour (and 10 login POSTs a minute). One account from A addresses: at
  most **20·A guesses a day**. A participant's password needs at least 10^6 guesses
  (zxcvbn score ≥ 2, auth/passwords.py), so on average 5·10^5: 25,000 days from one
  address, 25 days from 1,000 addresses, each of which its own counters see. What is left
  is a large botnet against one weak password; the old answer, refusing the owner too once
  anyone had failed 5 times, is what this module no longer does.
* claim/recovery: 30 refused POSTs an hour per address (``RATELIMIT_ACCOUNT_RECOVERY``),
  so one account from A addresses gets at most **30·A guesses an hour**; one code value at
  most 5 wrong tries an hour over all addresses. A ticket code is 16 characters of 32
  (80 bits), an activation code 12 (60 bits, live 14 days): from A = 10,000 addresses,
  3·10^5 guesses an hour against 2^60 ≈ 1.2·10^18 codes is one chance in 4·10^12 an hour.

The windows are fixed (flask-limiter's default strategy): across a window's edge one more
window's worth can get through, so each figure holds give or take one window.
"""

import hashlib
import math
import time
from dataclasses import dataclass

from flask import current_app
from limits import parse_many

from bimtek.extensions import limiter


@dataclass(frozen=True)
class Lock:
    #: "pair" (this identifier from this address), "address" or "proof" (this code)
    scope: str
    #: whole minutes until the window lets a new attempt through (at least 1)
    minutes: int


def _enabled() -> bool:
    return bool(current_app.config["RATELIMIT_ENABLED"]) and limiter.enabled


def _keys(kind: str, value: str) -> tuple[str, ...]:
    return (current_app.config["RATELIMIT_KEY_PREFIX"], kind, value)


def _items(setting: str):
    """The limits of a setting: "5 per 10 minutes" or several, "5 per 10 minutes; 20 per day"."""
    return parse_many(current_app.config[setting])


def _locked(setting: str, kind: str, value: str) -> int | None:
    """Minutes left if a limit of the counter ``kind``/``value`` is used up, else None."""
    keys = _keys(kind, value)
    minutes = None
    for item in _items(setting):
        if not limiter.limiter.test(item, *keys):
            reset_at = limiter.limiter.get_window_stats(item, *keys).reset_time
            left = max(1, math.ceil((reset_at - time.time()) / 60))
            minutes = max(minutes or 0, left)
    return minutes


def _hit(setting: str, kind: str, value: str) -> None:
    for item in _items(setting):
        limiter.limiter.hit(item, *_keys(kind, value))


def _clear(setting: str, kind: str, value: str) -> None:
    for item in _items(setting):
        limiter.limiter.clear(item, *_keys(kind, value))


def _pair(account_key: str, address: str) -> str:
    return f"{account_key}@{address}"


def login_lock(account_key: str, address: str) -> Lock | None:
    """Whether a password login for this identifier from this address is refused for now."""
    if not _enabled():
        return None
    minutes = _locked("RATELIMIT_LOGIN_ACCOUNT_ADDRESS", "login-pair", _pair(account_key, address))
    if minutes:
        return Lock("pair", minutes)
    minutes = _locked("RATELIMIT_LOGIN_ADDRESS_FAILURES", "login-address", address)
    if minutes:
        return Lock("address", minutes)
    return None


def login_failed(account_key: str, address: str) -> None:
    if not _enabled():
        return
    _hit("RATELIMIT_LOGIN_ACCOUNT_ADDRESS", "login-pair", _pair(account_key, address))
    _hit("RATELIMIT_LOGIN_ADDRESS_FAILURES", "login-address", address)


def account_recovered(account_key: str, address: str) -> None:
    """The owner proved who they are from ``address``: that pair's login count starts over."""
    if _enabled():
        _clear("RATELIMIT_LOGIN_ACCOUNT_ADDRESS", "login-pair", _pair(account_key, address))


def _proof_key(code: str) -> str:
    """A code tried, as counted: its hash (the storage never holds a live code)."""
    return hashlib.sha256(code.encode()).hexdigest()


def recovery_lock(code: str) -> int | None:
    """Minutes left if this code value was tried wrong too often, else None. Wrong proofs
    per address are counted by the pages' flask-limiter decorator."""
    if not _enabled() or not code:
        return None
    return _locked("RATELIMIT_RECOVERY_PROOF", "recovery-proof", _proof_key(code))


def recovery_failed(code: str) -> None:
    if _enabled() and code:
        _hit("RATELIMIT_RECOVERY_PROOF", "recovery-proof", _proof_key(code))


def link_allowed(account_key: str) -> bool:
    """Counts one request for a claim/recovery link by email for this account (a NIK, an
    address or a user); False once ``RATELIMIT_ACCOUNT_LINK`` is used up."""
    if not _enabled():
        return True
    allowed = True
    for item in _items("RATELIMIT_ACCOUNT_LINK"):
        allowed = limiter.limiter.hit(item, *_keys("account-link", account_key)) and allowed
    return allowed
