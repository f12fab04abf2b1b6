# Only input is widened: for every other format Django's own French module answers (it
# comes after this one in the search). strptime matches literal letters whatever their
# case and any run of white space for a space, so "14H30" and "14  h  30" are read too.
# The admin's widgets show the first of each list (WAGTAIL_*_FORMAT in settings).

DATE_INPUT_FORMATS = [
    "%d/%m/%Y",  # 16/03/2027
    "%Y-%m-%d",  # 2027-03-16 (ISO 8601, what browsers' date pickers and exports give)
    "%d/%m/%y",  # 16/03/27
    "%d-%m-%Y",  # 16-03-2027
    "%d.%m.%Y",  # 16.03.2027
]
TIME_INPUT_FORMATS = [
    "%H:%M",  # 14:30
    "%H:%M:%S",  # 14:30:00
    "%Hh%M",  # 14h30
    "%H h %M",  # 14 h 30
    "%H h%M",  # 14 h30
    "%Hh %M",  # 14h 30
    "%Hh",  # 14h
    "%H h",  # 14 h
]
DATETIME_INPUT_FORMATS = [
    f"{day} {moment}" for day in DATE_INPUT_FORMATS for moment in TIME_INPUT_FORMATS
]
