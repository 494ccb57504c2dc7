"""English is British English here: Django's en_GB formats under the code `en`, with the
long dates the pages use ("2 December 2026"). Templates name these formats, so Japanese
pages get Japanese dates ("2026年12月2日") from Django's own ja formats."""

from django.conf.locale.en_GB.formats import *  # noqa: F403

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
