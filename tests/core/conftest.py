"""The authorization walk's world (two events, every identity) for the other checks that walk
every page, such as the outside checkers."""

from tests.core.test_authorization import world  # noqa: F401
