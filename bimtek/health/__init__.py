"""Health checks for a load balancer: ``/healthz`` (the process answers) and ``/readyz``
(the parts it needs answer)."""
