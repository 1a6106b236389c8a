"""The consultant's review: the benchmarking form, the report and its delivery."""

from certtrack.reviews.views import bp

__all__ = ["bp"]
