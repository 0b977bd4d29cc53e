"""Numbers as the corpus prints them: Dutch (`27.313,55`, `-10.637,67`, `43.344`) or plain (`1010`)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

DUTCH_NUMBER_RE = re.compile(r"^[-−]?(?:\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)%?$")
YEAR_RE = re.compile(r"^(19[5-9]\d|20[0-4]\d)$")


SPACED_GROUP_RE = re.compile(r"(?<=\d)[ \u00a0](?=\d{3}(?!\d))")
NUMERIC_RE = re.compile(r"^[-−]?\d[\d.,]*%?$")


def is_number(token: str) -> bool:
    return bool(DUTCH_NUMBER_RE.match(token))


def looks_numeric(token: str) -> bool:
    """A number, or numbers printed without a space between them (`1.0001.000`, `9100`)."""
    return bool(NUMERIC_RE.match(token)) and not token.endswith((".", ","))


def parse_number(token: str) -> Decimal | None:
    """The value of a printed number; `.` groups thousands and `,` is the decimal comma."""
    token = token.strip().replace("−", "-").rstrip("%").rstrip()
    token = SPACED_GROUP_RE.sub("", token)  # "316 000": thousands grouped by a space
    if not DUTCH_NUMBER_RE.match(token):
        return None
    try:
        return Decimal(token.replace(".", "").replace(",", "."))
    except InvalidOperation:
        return None


def same_number(a: str, b: str) -> bool:
    """Dutch `1.234,56` and plain `1234.56` notation are the same number."""
    left = parse_number(a) if parse_number(a) is not None else _plain(a)
    right = parse_number(b) if parse_number(b) is not None else _plain(b)
    return left is not None and left == right


def _plain(token: str) -> Decimal | None:
    try:
        return Decimal(token.strip())
    except InvalidOperation:
        return None


def is_year(token: str) -> bool:
    return bool(YEAR_RE.match(token))


def dutch_whole(number: float) -> str:
    """A whole number as Dutch prints it, for messages: 200.000."""
    return f"{number:,.0f}".replace(",", ".")
