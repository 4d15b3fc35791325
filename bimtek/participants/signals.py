"""What happens to a participant, for other domains to act on (e.g. notifications).

Sent inside the service's transaction, before the caller commits: a receiver that wants to
act only on what is saved queues its work with ``bimtek.jobs.enqueue_on_commit``.
"""

from blinker import Namespace

signals = Namespace()

#: a person got a seat or a waitlist place; sent with the Participant
participant_registered = signals.signal("participant-registered")
#: a waitlisted person got a seat; sent with the Participant
participant_promoted = signals.signal("participant-promoted")
#: the owner of an account asked for a one-time link by email (claim or recovery); sent
#: with the Participant record whose email address receives it
account_link_requested = signals.signal("account-link-requested")
