"""Dates, numbers and percentages as the reader's language writes them inside a
sentence ("entro il 31 marzo 2027", "0,5", "80%"); machine values (ISO dates in
`<time datetime>`, exports, the API) stay as they are."""

from datetime import date
from decimal import Decimal

from flask_babel import format_date, format_decimal, format_percent

# Whole percentages as they are, tenths when there are some (78.1 %).
PERCENT_PATTERN = "#,##0.#%"


def day(value: date) -> str:
    """A day written out in the current locale: "31 March 2027", "31 marzo 2027"."""
    return format_date(value, "long")


def number(value: Decimal | int | float) -> str:
    """A number with the locale's decimal separator."""
    return format_decimal(value)


def percent(value: Decimal | int | float) -> str:
    """A share given in percent (80, 78.1) with the locale's sign and spacing."""
    return format_percent(Decimal(value) / 100, PERCENT_PATTERN)


def month(value: date) -> str:
    """A month and its year: "March 2027", "marzo 2027"."""
    return format_date(value, "MMMM y")
