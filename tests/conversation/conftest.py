"""The conversation's tests share the demo of the web tests and the token clients of
the API tests (the SMTP server and its app are the suite's own)."""

from tests.api.conftest import as_user
from tests.web.conftest import demo, frozen

__all__ = ["as_user", "demo", "frozen"]
