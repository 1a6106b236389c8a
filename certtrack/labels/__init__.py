"""Public verification of a label: a page anyone can open, its QR code, a certificate."""

from certtrack.labels.views import bp

__all__ = ["bp"]
