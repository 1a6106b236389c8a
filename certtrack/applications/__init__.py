"""Applications: the coordinator's board, each application's page and its workflow steps."""

from certtrack.applications.views import bp

__all__ = ["bp"]
