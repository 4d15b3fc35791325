"""What happens to certificates, for other domains to act on (e.g. notifications).

Sent inside the service's transaction, before the caller commits.
"""

from blinker import Namespace

signals = Namespace()

#: a certificate was issued; sent with the Certificate
certificate_issued = signals.signal("certificate-issued")
