"""Evaluation (Kirkpatrick level 1): participants rate each narasumber and the organizer."""
