# Django's own formats for this language, with «kl.» before the time of a moment.
from django.conf.locale.nb.formats import *  # noqa: F403

DATETIME_FORMAT = r"j. F Y \k\l. H:i"
