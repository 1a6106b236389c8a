"""Each user's messages, their notification settings, and failed messages for staff."""

from certtrack.notifications.views import bp

__all__ = ["bp"]
