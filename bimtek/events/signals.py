"""What happens to an event, for the domains above it to act on.

Events sit below participants, assessments and certificates, so it cannot call them; it
sends these signals and they answer (blinker, synchronous, inside the caller's transaction).
A receiver may refuse the change by raising a ServiceError: the sender has written nothing
yet when it sends a ``…-changing`` signal.
"""

from blinker import Namespace

signals = Namespace()

#: an event's capacity is about to change; sent with the Event and ``capacity`` (the new
#: value) before anything is written; a receiver raises InvalidInput to refuse it
#: (participants: fewer seats than registered participants)
capacity_changing = signals.signal("capacity-changing")
#: an event's details were saved; sent with the Event (participants: new seats go to the
#: waitlist)
event_updated = signals.signal("event-updated")
#: an event was cloned; sent with the source Event, ``event`` (the copy) and ``modules``
#: (source module id → copied Module); each receiver copies its part and returns
#: ``(name, count)`` for the audit record
event_cloned = signals.signal("event-cloned")
#: a session is about to be deleted; sent with the Session before its row goes, inside the
#: caller's transaction (spj: its dokumentasi photos and their stored files go with it)
session_deleting = signals.signal("session-deleting")
