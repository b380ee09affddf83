"""Publication dates in English and Malay.

Government pages write "5 Mac 2025", "20 Ogos 2025" or "Khamis, 1 Disember
2025"; news sites write "March 5, 2025 10:30 PM" or ISO timestamps in UTC.
General date libraries miss several Malay month names (Mac, Ogos, Disember,
and the short forms Ogo, Okt, Dis), so the common shapes are matched here
with an explicit month table and ``dateparser`` is only the last resort.
Times are read as Asia/Kuala_Lumpur: a release stamped "2025-03-04T20:00Z" was
published on 5 March in Malaysia.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import Any
from zoneinfo import ZoneInfo

__all__ = ["KL", "MONTHS_EN", "MONTHS_MS", "parse_date"]

#: Malaysia has no daylight saving; the zone is fixed at UTC+8.
KL = ZoneInfo("Asia/Kuala_Lumpur")

MONTHS_EN: dict[str, int] = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}

MONTHS_MS: dict[str, int] = {
    "januari": 1,
    "jan": 1,
    "februari": 2,
    "feb": 2,
    "mac": 3,
    "april": 4,
    "apr": 4,
    "mei": 5,
    "jun": 6,
    "julai": 7,
    "jul": 7,
    "ogos": 8,
    "ogo": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "oktober": 10,
    "okt": 10,
    "november": 11,
    "nov": 11,
    "disember": 12,
    "dis": 12,
}

_TIME = (
    r"(?:\s*,?\s*(?:at\s+|jam\s+|pukul\s+)?(?P<hh>\d{1,2})[:.](?P<mi>\d{2})(?::(?P<ss>\d{2}))?"
    r"\s*(?P<ampm>a\.?m\.?|p\.?m\.?|pagi|petang|malam|tengah\s+hari)?"
    r"\s*(?P<tz>Z|UTC|GMT|MYT|[+-]\d{2}:?\d{2})?)?"
)
_ISO = re.compile(
    r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[T ](?P<hh>\d{1,2}):(?P<mi>\d{2})(?::(?P<ss>\d{2})(?:\.\d+)?)?"
    r"\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?)?(?!\d)"
)
_NUMERIC_DMY = re.compile(
    r"(?<![\d/.-])(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})(?!\d)" + _TIME, re.I
)
_NUMERIC_YMD = re.compile(r"(?<!\d)(?P<y>\d{4})/(?P<m>\d{1,2})/(?P<d>\d{1,2})(?!\d)")
_ORDINAL = r"(?:st|nd|rd|th|hb)?"

_PATTERN_CACHE: dict[tuple[str, ...], tuple[re.Pattern[str], re.Pattern[str], dict[str, int]]] = {}


def _month_patterns(
    languages: tuple[str, ...],
) -> tuple[re.Pattern[str], re.Pattern[str], dict[str, int]]:
    cached = _PATTERN_CACHE.get(languages)
    if cached is not None:
        return cached
    table: dict[str, int] = {}
    if "en" in languages:
        table.update(MONTHS_EN)
    if "ms" in languages:
        table.update(MONTHS_MS)
    names = "|".join(sorted(table, key=len, reverse=True))
    # the month name must stand alone: "Macam" is not "Mac", "Mayor" not "May"
    month = rf"(?P<mon>{names})(?![a-z])\.?"
    dmy = re.compile(
        rf"(?<!\d)(?P<d>\d{{1,2}}){_ORDINAL}(?:\s+|\s*[-/.]\s*)(?:of\s+)?{month}"
        rf"(?:\s*,?\s+|\s*[-/.]\s*)(?P<y>\d{{4}})(?!\d)" + _TIME,
        re.I,
    )
    mdy = re.compile(
        rf"\b{month}\s+(?P<d>\d{{1,2}}){_ORDINAL},?\s+(?P<y>\d{{4}})(?!\d)" + _TIME,
        re.I,
    )
    result = (dmy, mdy, table)
    _PATTERN_CACHE[languages] = result
    return result


def _zone(tz: str | None) -> timezone | ZoneInfo:
    if tz is None or tz.upper() == "MYT":
        return KL
    if tz.upper() in ("Z", "UTC", "GMT"):
        return UTC
    sign = -1 if tz[0] == "-" else 1
    digits = tz[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:4])))


def _to_kl_date(
    y: int, m: int, d: int, groups: dict[str, Any], *, has_time: bool = True
) -> date | None:
    if not 1990 <= y <= 2100:
        return None
    try:
        day = date(y, m, d)
    except ValueError:
        return None
    if not has_time or groups.get("hh") is None or groups.get("tz") is None:
        return day  # no zone given: the wall-clock time is already Malaysian
    hour = int(groups["hh"])
    ampm = (groups.get("ampm") or "").lower().replace(".", "")
    if ampm in ("pm", "petang", "malam") and hour < 12:
        hour += 12
    elif ampm in ("am", "pagi") and hour == 12:
        hour = 0
    if hour > 23:
        return day
    stamp = datetime(y, m, d, hour, int(groups["mi"]), tzinfo=_zone(groups["tz"]))
    return stamp.astimezone(KL).date()


def _first(matches: Iterable[tuple[int, date]]) -> date | None:
    best: tuple[int, date] | None = None
    for pos, value in matches:
        if best is None or pos < best[0]:
            best = (pos, value)
    return None if best is None else best[1]


def parse_date(raw: str, *, languages: Iterable[str] = ("en", "ms")) -> date | None:
    """The calendar date (in Kuala Lumpur) that ``raw`` names, or None.

    ``raw`` may be a bare date ("3 Julai 2025", "2025-03-05T02:00:00Z",
    "Wed, 05 Mar 2025 10:00:00 +0000") or a longer line that contains one
    ("Dikemaskini: Khamis, 9 Okt 2025 10:30 pagi"); the earliest date in the
    string wins. Numeric dates are day-first, as written in Malaysia. A year-first date
    (``2025-03-05``, ``2025/03/05``, with or without a time) is year-month-day or
    nothing: ``2025-13-01`` and ``2025-02-30`` give None, never 13 January.
    """
    text = " ".join(raw.split())
    if not text:
        return None
    langs = tuple(sorted(set(languages)))
    dmy, mdy, table = _month_patterns(langs)
    found: list[tuple[int, date]] = []
    for pattern in (dmy, mdy):
        for match in pattern.finditer(text):
            g = match.groupdict()
            value = _to_kl_date(int(g["y"]), table[g["mon"].lower()], int(g["d"]), g)
            if value is not None:
                found.append((match.start(), value))
                break
    year_first_unread = False  # "2025-13-01": a year-first date that is no date
    for pattern in (_ISO, _NUMERIC_DMY, _NUMERIC_YMD):
        for match in pattern.finditer(text):
            g = match.groupdict()
            value = _to_kl_date(int(g["y"]), int(g["m"]), int(g["d"]), g)
            if value is not None:
                found.append((match.start(), value))
                break
            year_first_unread = year_first_unread or pattern is not _NUMERIC_DMY
    first = _first(found)
    if first is not None:
        return first
    if year_first_unread:
        # dateparser would read 2025-13-01 as year-day-month (13 January): a year-first
        # date with an impossible month or day is unreadable, like 2025-02-30
        return None
    return _rfc822(text) or _fallback(text, langs)


def _rfc822(text: str) -> date | None:
    if not re.search(r"\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{2}:\d{2}", text):
        return None
    try:
        stamp = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if stamp.tzinfo is None:
        return stamp.date()
    return stamp.astimezone(KL).date()


def _fallback(text: str, languages: tuple[str, ...]) -> date | None:
    """Hand rarer shapes to dateparser; absolute dates only, never "2 days ago"."""
    if len(text) > 80 or not re.search(r"\d{4}", text):
        return None
    import dateparser  # slow to import; most dates never get here

    settings = {
        "TIMEZONE": "Asia/Kuala_Lumpur",
        "TO_TIMEZONE": "Asia/Kuala_Lumpur",
        "RETURN_AS_TIMEZONE_AWARE": True,
        "DATE_ORDER": "DMY",
        "PARSERS": ["custom-formats", "absolute-time"],
        "REQUIRE_PARTS": ["day", "month", "year"],
    }
    try:
        stamp = dateparser.parse(text, languages=list(languages), settings=settings)
    except (ValueError, OverflowError):
        return None
    if stamp is None or not 1990 <= stamp.year <= 2100:
        return None
    return stamp.date() if isinstance(stamp, datetime) else None
