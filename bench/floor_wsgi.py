"""The project's WSGI application with bench/changelist.py's floor (Django's own list of 50
groups) registered on the admin site, for `changelist.py --gunicorn`: gunicorn's process
reads the admin's URLs itself."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tilskudd.settings")
django.setup()

from changelist import register_floor  # noqa: E402 (after setup: it defines a model)

register_floor(fill=False)

from tilskudd.wsgi import application  # noqa: E402, F401
