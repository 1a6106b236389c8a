"""Entry point for `flask` and gunicorn (`gunicorn wsgi:app`)."""

from certtrack import create_app

app = create_app()
