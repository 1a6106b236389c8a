"""Byte counts as people read them, in the reader's locale (1.5 MB, 1,5 MB)."""

from flask_babel import format_decimal

UNITS = (("GB", 1024**3), ("MB", 1024**2), ("kB", 1024))


def format_size(size: int) -> str:
    """`size` bytes in the largest unit it reaches, one decimal (B below a kilobyte)."""
    for unit, scale in UNITS:
        if size >= scale:
            return f"{format_decimal(size / scale, format='#,##0.#')} {unit}"
    return f"{format_decimal(size)} B"
