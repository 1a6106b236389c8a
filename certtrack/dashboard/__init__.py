"""Each role's home page."""

from certtrack.dashboard.views import bp

__all__ = ["bp"]
