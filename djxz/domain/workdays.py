"""China's official working days: the `chinese-calendar` package, the zone's own holidays.yaml, then weekends only.

Precedence for one day: an entry of the zone's holidays.yaml that covers it (a regional holiday such as 古尔邦节, or the
State Council's schedule for a year the package does not know yet); else the package, for the years it knows; else
Monday to Friday, and `warnings()` says so, because a date may then fall on a public holiday.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from djxz.model import HolidayCalendar

PACKAGE = "chinese-calendar"
ZONE_FILE = "holidays.yaml"
WEEKENDS = "weekends"

_ONE_DAY = dt.timedelta(days=1)
_SEARCH_LIMIT = 60  # the longest run of days off in China is about 10; 60 means the data is broken


@lru_cache(maxsize=None)
def package_knows(year: int) -> bool:
    """True when the installed chinese-calendar has the State Council's schedule for `year`."""
    try:
        import chinese_calendar
    except ImportError:  # pragma: no cover - a dependency, but a working-day fallback beats a crash
        return False
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


class WorkdayCalendar:
    """Answers "is this a working day?" for any date, and finds the working day nearest a target."""

    def __init__(self, holidays: HolidayCalendar | None = None, use_package: bool = True) -> None:
        self._zone_days: dict[dt.date, tuple[bool, str]] = {}
        self._zone_years: set[int] = set()
        self._use_package = use_package
        for entry in holidays.days if holidays else ():
            day = entry.date
            last = entry.end_date or entry.date
            while day <= last:
                self._zone_days.setdefault(day, (entry.workday, entry.name))
                self._zone_years.add(day.year)
                day += _ONE_DAY

    def source(self, year: int) -> str:
        """Where the answers for `year` come from: the package, the zone's holidays.yaml, or weekends only."""
        if self._use_package and package_knows(year):
            return PACKAGE
        if year in self._zone_years:
            return ZONE_FILE
        return WEEKENDS

    def is_workday(self, day: dt.date) -> bool:
        zone = self._zone_days.get(day)
        if zone is not None:
            return zone[0]
        if self._use_package and package_knows(day.year):
            import chinese_calendar

            return chinese_calendar.is_workday(day)
        return day.weekday() < 5

    def holiday_name(self, day: dt.date) -> str | None:
        """The name of the holiday (or adjusted working day) on `day`, when known."""
        zone = self._zone_days.get(day)
        if zone is not None:
            return zone[1]
        if self._use_package and package_knows(day.year):
            import chinese_calendar

            on_holiday, name = chinese_calendar.get_holiday_detail(day)
            if name:
                return _HOLIDAY_NAMES.get(name, name)
        return None

    def on_or_before(self, day: dt.date) -> dt.date:
        """The last working day not after `day`: where a deadline lands."""
        return self._walk(day, -_ONE_DAY)

    def on_or_after(self, day: dt.date) -> dt.date:
        """The first working day not before `day`."""
        return self._walk(day, _ONE_DAY)

    def _walk(self, day: dt.date, step: dt.timedelta) -> dt.date:
        current = day
        for _ in range(_SEARCH_LIMIT):
            if self.is_workday(current):
                return current
            current += step
        return day  # no working day for two months: the holiday data is wrong; leave the date as asked

    def warnings(self, years) -> list[str]:
        """Chinese warnings for years whose public holidays are unknown, so dates may fall on a holiday."""
        out = []
        for year in sorted(set(years)):
            if self.source(year) == WEEKENDS:
                out.append(
                    f"{year} 年的法定节假日和调休安排尚未收录（chinese-calendar 只收录到已公布的年份，holidays.yaml 中也没有），"
                    "日期只避开了周末，可能落在节假日上。国务院办公厅公布放假安排后，请升级 chinese-calendar 或在 holidays.yaml 中补充。"
                )
        return out


_HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}
