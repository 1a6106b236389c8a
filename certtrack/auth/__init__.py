"""Signing in and out."""

from certtrack.auth.views import bp

__all__ = ["bp"]
