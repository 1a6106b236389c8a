"""The secret key that signs sessions and links. Production must be given one; a
development server makes a random one once per instance folder and keeps it there
(readable by its owner only), so no installation runs on a key anyone could read in
the source."""

import os
import secrets
from pathlib import Path

from flask import Flask

KEY_FILE = "secret_key"


def ensure_secret_key(app: Flask) -> None:
    """Fill SECRET_KEY from the instance folder where the configuration allows it;
    refuse to build an application without one."""
    if not app.config.get("SECRET_KEY") and app.config.get("SECRET_KEY_MAY_BE_GENERATED"):
        app.config["SECRET_KEY"] = instance_secret_key(Path(app.instance_path))
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY must be set")


def instance_secret_key(instance: Path) -> str:
    """The key stored in `instance`, created on first use."""
    path = instance / KEY_FILE
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(descriptor, "w") as handle:
        handle.write(secrets.token_hex(32))
    return path.read_text().strip()
