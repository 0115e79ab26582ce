# Django's English writes "12/01/2026 10:34 p.m.": month first and a 12-hour clock
# read wrongly by half the world. The site's English uses unambiguous dates and 24 h.
DATE_FORMAT = "j M Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j M Y H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
FIRST_DAY_OF_WEEK = 1  # Monday, as the jour's week and the calendar run
