"""Personal data lifecycle (UU 27/2022): retention per event, the purge, a person's own data."""
