"""The JSON API, under /api/v1, on the same services as the web pages."""

from certtrack.api import account, applications, directory, labels, openapi, recommendations
from certtrack.api.core import bp

__all__ = ["account", "applications", "bp", "directory", "labels", "openapi", "recommendations"]
