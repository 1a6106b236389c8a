"""The public register of live labels and its open-data downloads."""

from certtrack.register.views import bp

__all__ = ["bp"]
