"""Flask extensions, created here and bound to the app in ``create_app``."""

from flask import current_app
from flask_babel import Babel
from flask_limiter import Limiter as _Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData

naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

db = SQLAlchemy(metadata=MetaData(naming_convention=naming_convention))
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()


class Limiter(_Limiter):
    """flask-limiter's Limiter, reading the key prefix from each app it is bound to.

    One Limiter serves every app built in the process (the tests build many, each with its
    own RATELIMIT_KEY_PREFIX); flask-limiter would keep the first app's prefix for good.
    """

    def init_app(self, app) -> None:
        self._key_prefix = app.config["RATELIMIT_KEY_PREFIX"]
        super().init_app(app)


limiter = Limiter(key_func=get_remote_address, default_limits=[])

#: one budget per address for registering, through the public form and the API together
registration_limit = limiter.shared_limit(
    lambda: current_app.config["RATELIMIT_REGISTRATION"], scope="registration", methods=["POST"]
)
#: one budget per address for certificate verification, page and API together
verify_limit = limiter.shared_limit(lambda: current_app.config["RATELIMIT_VERIFY"], scope="verify")
#: one budget per address for verifying an uploaded PDF, page and API together
verify_upload_limit = limiter.shared_limit(
    lambda: current_app.config["RATELIMIT_VERIFY_UPLOAD"], scope="verify_upload"
)
babel = Babel()
