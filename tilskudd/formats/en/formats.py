# Dates the British way, times on the 24-hour clock as Norway reads them.
from django.conf.locale.en_GB.formats import *  # noqa: F403

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = r"j F Y \a\t H:i"
TIME_FORMAT = "H:i"
