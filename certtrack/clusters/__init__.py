"""Cluster organisations: the list, profiles, and each cluster's page."""

from certtrack.clusters.views import bp

__all__ = ["bp"]
