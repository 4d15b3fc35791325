"""The audit log page: the trail of one event or of the install, with the names of who did
what to whom, as a page and an xlsx. It reads every domain, so it sits at the reports layer;
the recorder every domain calls is ``bimtek.audit``."""
