"""English is British English here: Django's en_GB formats under the code `en`."""

from django.conf.locale.en_GB.formats import *  # noqa: F403
