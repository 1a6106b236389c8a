"""The signed-in user's own account: name, language, password."""

from certtrack.account.views import bp

__all__ = ["bp"]
