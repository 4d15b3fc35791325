"""Staff accounts managed by an administrator: create, deactivate, reactivate, reset.

Only install-wide administrators create staff accounts. An account is install-wide (it
logs in, holds API tokens and can be given rights in any event), so who has one is the
administrator's decision; an event's managers give rights in *their* event to accounts
that already exist (``bimtek.staff.assignments``). Rights per event are not stored here.
"""

import sqlalchemy as sa
from flask_babel import gettext as _

from bimtek.audit.services import record
from bimtek.auth import services
from bimtek.auth.models import STAFF_ROLES, User
from bimtek.auth.sessions import end_sessions
from bimtek.auth.tokens import revoke_tokens_of
from bimtek.core.database import get_by_id
from bimtek.errors import Conflict, InvalidInput, NotFound
from bimtek.extensions import db

#: "admin" (every event) or "staff" (rights given per event)
ACCOUNT_KINDS = ("admin", "staff")
NAME_MAX = 200


def staff_accounts() -> list[User]:
    """Every staff account (admins and staff), active ones first, by name."""
    return list(
        db.session.scalars(
            sa.select(User)
            .where(User.role.in_(STAFF_ROLES))
            .order_by(User.active.desc(), User.role, User.full_name, User.id)
        )
    )


def get_staff_account(user_id) -> User:
    """The staff account with this id; participants and unknown ids are a 404."""
    user = get_by_id(User, user_id)
    if user is None or user.role not in STAFF_ROLES:
        raise NotFound(_("Akun staf tidak ditemukan."), code="unknown_staff")
    return user


def active_staff_by_email(email) -> User:
    """An active staff account (not an admin) to give a right in an event.

    One message for unknown, participant, admin and inactive accounts: a manager typing
    addresses learns only whether an assignable staff account has this email.
    """
    email = str(email or "").strip().lower()
    user = None
    if email and len(email) <= 254:
        user = db.session.scalar(sa.select(User).where(sa.func.lower(User.email) == email))
    if user is None or user.role != "staff" or not user.active:
        message = _(
            "Tidak ada akun staf aktif dengan email itu. Akun staf dibuat oleh administrator."
        )
        raise NotFound(message, code="unknown_staff", fields={"email": message})
    return user


def clean_full_name(raw) -> str:
    name = " ".join(str(raw or "").split())
    if not name:
        raise InvalidInput(_("Nama wajib diisi."), fields={"full_name": _("Nama wajib diisi.")})
    if len(name) > NAME_MAX:
        message = _("Nama paling banyak %(n)s karakter.", n=NAME_MAX)
        raise InvalidInput(message, fields={"full_name": message})
    return name


def create_staff_account(data, *, actor: User, channel: str = "web") -> tuple[User, str]:
    """A new staff account with a one-time password, returned once to hand over."""
    kind = str(data.get("kind") or "")
    errors = {}
    if kind not in ACCOUNT_KINDS:
        errors["kind"] = _("Pilih administrator atau staf.")
    try:
        full_name = clean_full_name(data.get("full_name"))
    except InvalidInput as error:
        errors.update(error.fields)
    try:
        email = services.clean_login_email(data.get("email"))
    except InvalidInput as error:
        errors.update(error.fields)
    if errors:
        raise InvalidInput(_("Periksa isian yang ditandai."), fields=errors)
    try:
        return services.create_user(
            email, role=kind, full_name=full_name, actor=actor, channel=channel
        )
    except Conflict as error:
        message = _("Sudah ada akun dengan email ini.")
        raise Conflict(message, code=error.code, fields={"email": message}) from None


def active_admin_count() -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).where(User.role == "admin", User.active.is_(True))
    )


def deactivate(user: User, *, actor: User, channel: str = "web") -> None:
    """Close the account: no login, no rights; every session ends and every API token is
    revoked for good (reactivation brings none back)."""
    if user.id == actor.id:
        raise InvalidInput(_("Anda tidak dapat menonaktifkan akun Anda sendiri."), code="self")
    if user.is_admin and user.active and active_admin_count() <= 1:
        raise InvalidInput(
            _("Ini administrator aktif terakhir; aktifkan atau buat administrator lain dulu."),
            code="last_admin",
        )
    if not user.active:
        return
    user.active = False
    end_sessions(user)
    revoked = revoke_tokens_of(user, actor=actor, channel=channel)
    record(
        "user.deactivate",
        actor=actor,
        channel=channel,
        target=user,
        details={"tokens_revoked": revoked},
    )
    db.session.flush()


def reactivate(user: User, *, actor: User, channel: str = "web") -> None:
    """Open the account again; its rights per event come back, its API tokens do not
    (deactivation revoked them)."""
    if user.active:
        return
    user.active = True
    record("user.reactivate", actor=actor, channel=channel, target=user)
    db.session.flush()


def reset_staff_password(
    user: User, *, actor: User, channel: str = "web", revoke_tokens: bool = True
) -> str:
    """A new one-time password for a staff member (to change at next login); sessions end,
    and API tokens too unless ``revoke_tokens`` is False."""
    if user.id == actor.id:
        raise InvalidInput(
            _("Ganti kata sandi Anda sendiri di halaman Ganti kata sandi."), code="self"
        )
    return services.reset_password(user, actor=actor, channel=channel, revoke_tokens=revoke_tokens)
