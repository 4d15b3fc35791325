from tests.evaluation.conftest import rated_event  # noqa: F401
from tests.reports.conftest import busy_event  # noqa: F401
