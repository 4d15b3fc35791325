"""What happens to an event, for the domains above it to act on.

Events sit below participants, assessments and certificates, so it cannot call them; it
sends these signals and they answer (blinker, synchronous, inside the caller's transaction).
Signals carry effects other domains may add (an email, a copy); a rule that must always
hold is a function the change calls (capacity ≥ registered: ``events.services.update_event``
takes the count from ``participants.registration.change_event``).
"""

from blinker import Namespace

signals = Namespace()

#: an event's details were saved; sent with the Event, ``actor`` and ``channel``
event_updated = signals.signal("event-updated")
#: an event was cloned; sent with the source Event, ``event`` (the copy) and ``modules``
#: (source module id → copied Module); each receiver copies its part and returns
#: ``(name, count)`` for the audit record
event_cloned = signals.signal("event-cloned")
#: a session is about to be deleted; sent with the Session before its row goes, inside the
#: caller's transaction (spj: its dokumentasi photos and their stored files go with it)
session_deleting = signals.signal("session-deleting")
