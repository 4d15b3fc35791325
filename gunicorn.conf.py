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
accesslog = os.environ.get("BIMTEK_ACCESS_LOG") or None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
