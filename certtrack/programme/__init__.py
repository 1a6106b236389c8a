"""The programme view: an agency's targets, their progress and its figures as charts,
tables and CSV."""

from certtrack.programme.views import bp

__all__ = ["bp"]
