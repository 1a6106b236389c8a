"""The conversation's tests share the real SMTP server of the reminder tests, the demo
of the web tests and the token clients of the API tests."""

from tests.api.conftest import as_user
from tests.reminders.conftest import mail_app, smtp
from tests.web.conftest import demo, frozen

__all__ = ["as_user", "demo", "frozen", "mail_app", "smtp"]
