"""Production gunicorn settings: `gunicorn -c gunicorn.conf.py wsgi:app`.

Everything can be overridden from the environment (GUNICORN_CMD_ARGS, or the names below).
"""

import multiprocessing
import os

bind = os.environ.get("BIMTEK_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2))
#: sync workers: requests are short and CPU-bound (measured faster than gthread for check-in)
worker_class = os.environ.get("BIMTEK_WORKER_CLASS", "sync")
threads = int(os.environ.get("BIMTEK_THREADS", 1))
timeout = 30
graceful_timeout = 20
keepalive = 5
max_requests = 2000
max_requests_jitter = 200
#: off: the app logs one line per request itself (bimtek/core/request_log.py), without the
#: query string; gunicorn's access line would print it (one-time codes travel there)
accesslog = None
errorlog = "-"
if os.environ.get("BIMTEK_LOG_FORMAT") == "json":
    #: gunicorn's own lines (start, workers, timeouts) as JSON too: every line on stderr is
    #: one JSON object, as the app writes them
    logconfig_dict = {
        "root": {"level": "WARNING", "handlers": []},
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": ["stderr"], "propagate": False}
        },
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            }
        },
        "formatters": {"json": {"()": "bimtek.core.request_log.JsonFormatter"}},
    }
#: off: nothing here uses gunicornc, and every gunicorn of one user shares the default
#: socket path ($HOME/.gunicorn/gunicorn.ctl), so a second app server on the machine (or a
#: test's) would take over the first one's
control_socket_disable = True
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
