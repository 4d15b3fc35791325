"""What a new password must be: long enough for the kind of account, and not a common one.

"Common" is decided by zxcvbn (Dropbox's estimator, the Python port on PyPI): it ships the
30,000 most common passwords of leaked lists, the most frequent English words, names and
surnames, and recognises keyboard walks, sequences ("12345678"), repeats, dates and l33t
spellings ("P@ssw0rd1234") built from them. A plain list lookup would let "admin12345678"
through; zxcvbn estimates it at about 10^5 guesses. We refuse an estimate below 10^6 guesses
(zxcvbn score 0 or 1), which is what zxcvbn itself calls "too guessable" / "very guessable".
The person's own name, NIK and email and a few words of this install count as known words.

zxcvbn is imported on first use: its dictionaries take 13 MB and 0.17 s to load (measured),
paid by the worker that first checks a new password rather than by every worker at start.
"""

from flask_babel import gettext as _

STAFF_MIN_LENGTH = 12
PARTICIPANT_MIN_LENGTH = 8
MAX_LENGTH = 200
#: words anyone would try first against this install
SITE_WORDS = ("bimtek", "kutim", "kutaitimur", "sangatta", "samarinda", "katasandi", "sandi")
#: zxcvbn scores 0 and 1 mean fewer than 10^6 guesses
MIN_SCORE = 2


class WeakPassword(ValueError):
    #: what the API answers for any refused new password (the message says why)
    code = "weak_password"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def min_length(staff: bool) -> int:
    return STAFF_MIN_LENGTH if staff else PARTICIPANT_MIN_LENGTH


def personal_words(*, full_name=None, email=None, nik=None) -> list[str]:
    """What a password of this person must not be built from: their name (whole and each
    word), their email (whole and before the @) and NIK."""
    full_name, email = str(full_name or ""), str(email or "")
    words = [full_name, *full_name.replace(",", " ").replace(".", " ").split(), email, nik]
    if "@" in email:
        words.append(email.split("@")[0])
    return [str(word) for word in words if word]


def check_new_password(password: str, *, staff: bool, user_inputs=()) -> str:
    """Return ``password`` if it may be chosen, else raise WeakPassword with the reason.

    The one rule for every new password: registration (form and API), claim, recovery,
    change; ``staff`` only moves the shortest length."""
    password = password if isinstance(password, str) else ""
    if not password:
        raise WeakPassword(_("Kata sandi wajib diisi."))
    shortest = min_length(staff)
    if len(password) < shortest:
        raise WeakPassword(_("Kata sandi minimal %(n)s karakter.", n=shortest))
    if len(password) > MAX_LENGTH:
        raise WeakPassword(_("Kata sandi terlalu panjang."))
    # not a cycle: zxcvbn loads its dictionaries on import (132 ms measured), which only
    # the password forms need, not every worker and command at start
    from zxcvbn import zxcvbn

    known = [str(word) for word in (*user_inputs, *SITE_WORDS) if word]
    # zxcvbn's cost grows with length; the first 100 characters decide anyway
    if zxcvbn(password[:100], user_inputs=known)["score"] < MIN_SCORE:
        raise WeakPassword(
            _(
                "Kata sandi ini terlalu umum atau mudah ditebak. Pakai gabungan beberapa kata "
                "yang tidak berhubungan, angka atau tanda baca."
            )
        )
    return password
