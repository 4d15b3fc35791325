"""Assessment jobs: closing attempts past their deadline, every minute on the worker.

Reads already treat such an attempt as closed (``scoring.outcome``); the job stores it, so
the rows agree with what every page has been showing."""

from bimtek.assessments.attempts import close_expired_attempts
from bimtek.extensions import db
from bimtek.jobs import crontab, job


@job(periodic=crontab(minute="*"))
def close_expired_attempts_job() -> int:
    """Close every open attempt past its deadline, scored with what was answered."""
    closed = close_expired_attempts()
    db.session.commit()
    return closed
