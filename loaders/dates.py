"""Read dates as UN Arabic texts print them ("٢٧ إلى ٢٩ كانون الثاني/يناير ٢٠١٠").

>>> parse_range(norm("١٤ و ١٥ نيسان/أبريل ٢٠٠٩"))
(datetime.date(2009, 4, 14), datetime.date(2009, 4, 15))
>>> parse_range(norm("١٩ تشرين الأول/أكتوبر ٢٠١٠"))
(datetime.date(2010, 10, 19), datetime.date(2010, 10, 19))
"""

from __future__ import annotations

import datetime as dt

from loaders import patterns
from loaders.normalise import norm  # noqa: F401  (used by the doctests)

ENGLISH_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def parse_range(text: str) -> tuple[dt.date, dt.date] | None:
    """First date or date range in normalised ``text``, as (start, end); None if there is none."""
    found = patterns.compiled("date_range").search(text)
    if not found:
        return None
    month = patterns.month_number(found.group("month"))
    year = int(found.group("year"))
    d1 = int(found.group("d1"))
    d2 = int(found.group("d2") or d1)
    try:
        return dt.date(year, month, d1), dt.date(year, month, d2)
    except ValueError:
        return None


def all_ranges(text: str) -> list[tuple[dt.date, dt.date]]:
    """Every date or date range in normalised ``text``."""
    out = []
    for found in patterns.search_all("date_range", text):
        parsed = parse_range(found.group(0))
        if parsed:
            out.append(parsed)
    return out


def parse_english(day: str, month: str, year: str) -> dt.date | None:
    """A header date such as ``7 August 2019``; None for a day the month does not have."""
    try:
        return dt.date(int(year), ENGLISH_MONTHS.index(month) + 1, int(day))
    except ValueError:
        return None
