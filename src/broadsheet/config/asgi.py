"""The live-updates server's entry point: the Server-Sent Events streams under /live/.

Pages are served by the WSGI application (config/wsgi.py); this server holds the
long-lived streams, thousands per process, as coroutines. See config/serve.py.
"""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.config.settings")
django.setup()

from broadsheet.config.workers import exit_with_parent  # noqa: E402 - needs Django set up
from broadsheet.live.server import live_application as application  # noqa: E402

exit_with_parent()

__all__ = ["application"]
