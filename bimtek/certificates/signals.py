"""What happens to certificates, for other domains to act on (e.g. notifications).

Sent inside the service's transaction, before the caller commits.
"""

from blinker import Namespace

signals = Namespace()

#: a certificate was issued (a participant's, or a served one: narasumber, moderator,
#: panitia); sent with the Certificate
certificate_issued = signals.signal("certificate-issued")
#: a manager asked to mail a served certificate again ("Kirim ulang"); sent with the
#: Certificate
served_certificate_resend = signals.signal("served-certificate-resend")
