"""Dates as briefings print them, and the working-day rule for an unprinted publication date."""

from __future__ import annotations

import datetime
import re

from .inline import clean

MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}

_DATE_MDY = re.compile(r"^([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")
_DATE_DMY = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def make_date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def parse_date(text: str) -> datetime.date | None:
    """ "June 21, 2021", "19 October, 2023", "2021-06-21" → date; None otherwise."""
    text = clean(text).strip(" .*")
    if m := _DATE_MDY.match(text):
        month = MONTHS.get(m.group(1).lower())
        return make_date(int(m.group(3)), month, int(m.group(2))) if month else None
    if m := _DATE_DMY.match(text):
        month = MONTHS.get(m.group(2).lower())
        return make_date(int(m.group(3)), month, int(m.group(1))) if month else None
    if m := _DATE_ISO.match(text):
        return make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    return None


def _easter(year: int) -> datetime.date:
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return datetime.date(year, month, day + 1)


def berlin_holidays(year: int) -> set[datetime.date]:
    easter = _easter(year)
    fixed = [(1, 1), (3, 8), (5, 1), (10, 3), (12, 25), (12, 26)]
    days = {datetime.date(year, m, d) for m, d in fixed}
    for offset in (-2, 1, 39, 50):  # Good Friday, Easter Monday, Ascension, Whit Monday
        days.add(easter + datetime.timedelta(days=offset))
    return days


def first_working_day_after_month(day: datetime.date) -> datetime.date:
    """The first Berlin working day of the month after ``day``."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    candidate = datetime.date(year, month, 1)
    holidays = berlin_holidays(year)
    while candidate.weekday() >= 5 or candidate in holidays:
        candidate += datetime.timedelta(days=1)
    return candidate
