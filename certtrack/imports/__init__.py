"""The portfolio import page: upload a file, read its preview, confirm."""

from certtrack.imports.views import bp

__all__ = ["bp"]
