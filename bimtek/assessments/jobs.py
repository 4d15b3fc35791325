"""Assessment jobs: closing attempts past their deadline, every minute on the worker."""

from bimtek.assessments.services import close_expired_attempts
from bimtek.extensions import db
from bimtek.jobs import crontab, job


@job(periodic=crontab(minute="*"))
def close_expired_attempts_job() -> int:
    """Close every open attempt past its deadline (also done lazily when one is read)."""
    closed = close_expired_attempts()
    db.session.commit()
    return closed
