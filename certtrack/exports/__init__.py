"""CSV exports for coordinators and admins."""

from certtrack.exports.views import bp

__all__ = ["bp"]
