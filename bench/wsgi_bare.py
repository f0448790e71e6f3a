"""The app as gunicorn serves it, plus one bare view for comparison: ``POST /bench/insert/``
stores the JSON body in one INSERT and answers 201, through the same middleware. The
submission benchmark measures the survey's paths beside it in the same run."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siputri.settings")

from django.conf import settings
from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()
settings.ROOT_URLCONF = "bench.urls_bare"
