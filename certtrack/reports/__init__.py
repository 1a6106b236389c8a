"""The benchmarking report as its readers see it: values, peers, charts, follow-up."""

from certtrack.reports.views import bp

__all__ = ["bp"]
