import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.config.settings")
application = get_wsgi_application()

from broadsheet.config.workers import exit_with_parent  # noqa: E402 - needs Django set up
from broadsheet.moderation.toxicity import warm_up_in_background  # noqa: E402

exit_with_parent()
warm_up_in_background()
