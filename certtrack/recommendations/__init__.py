"""The manager's follow-up of recommendations."""

from certtrack.recommendations.views import bp

__all__ = ["bp"]
