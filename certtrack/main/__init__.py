"""Public pages that need no account."""

from certtrack.main.views import bp

__all__ = ["bp"]
