"""Plausible benchmarking measurements for the demo and the seeded scale data: varied
between clusters, the same on every run."""

from decimal import Decimal

# code: (lowest, highest, step) of a typical answer, in the indicator's unit.
TYPICAL: dict[str, tuple[str, str, str]] = {
    "B01": ("15", "180", "1"),
    "B02": ("2", "7", "1"),
    "B03": ("50", "92", "1"),
    "B04": ("4", "30", "1"),
    "B05": ("40", "95", "5"),
    "B06": ("3", "30", "0.5"),
    "B07": ("0.5", "8", "0.5"),
    "B08": ("0", "4", "1"),
    "B09": ("1", "20", "1"),
    "B10": ("40", "100", "5"),
    "B11": ("0", "4", "1"),
    "B12": ("0", "4", "1"),
    "B13": ("80000", "1500000", "5000"),
    "B14": ("20", "80", "1"),
    "B15": ("5", "40", "1"),
    "B16": ("0", "35", "1"),
    "B17": ("1", "5", "0.5"),
    "B18": ("1", "8", "1"),
    "B19": ("3", "15", "1"),
    "B20": ("0", "4", "1"),
    "B21": ("0", "4", "1"),
    "B22": ("0", "4", "1"),
    "B23": ("0", "4", "1"),
    "B24": ("0", "4", "1"),
    "B25": ("2", "24", "0.1"),
    "B26": ("4", "40", "1"),
    "B27": ("1", "25", "1"),
    "B28": ("2", "8", "1"),
    "B29": ("30", "90", "1"),
    "B30": ("60", "98", "1"),
    "B31": ("5", "80", "1"),
    "B32": ("0", "4", "1"),
    "B33": ("1", "12", "1"),
    "B34": ("0", "4", "1"),
    "B35": ("0", "10", "1"),
    "B36": ("0", "15", "1"),
}
FALLBACK = ("0", "4", "1")


def typical_answer(code: str, seed: int) -> Decimal:
    """A typical measurement for indicator `code`; `seed` (e.g. an application id)
    picks where in the typical range it falls."""
    low, high, step = (Decimal(part) for part in TYPICAL.get(code, FALLBACK))
    steps = int((high - low) / step) + 1
    position = (seed * 7919 + int(code.lstrip("BMRQ") or 0) * 104729) % steps
    return low + position * step
