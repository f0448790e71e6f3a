"""Settings for the test suite: production-like (DEBUG off) but fast and self-contained."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-key-" + "x" * 50)
# Tests run as production does, whatever the shell exported (make run sets DEBUG=1).
os.environ["DEBUG"] = "0"

from siputri.settings import *  # noqa: F403

SECURE_SSL_REDIRECT = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_USE_FINDERS = True
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]

import tempfile  # noqa: E402

# Uploaded evidence in tests goes to a throwaway folder.
PRIVATE_MEDIA_ROOT = tempfile.mkdtemp(prefix="siputri-private-")
