"""Administration: accounts, agencies, the scheme's settings."""

from certtrack.admin.views import bp

__all__ = ["bp"]
