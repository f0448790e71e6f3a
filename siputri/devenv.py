"""Write the development settings `make run` uses to an env file (``.env`` by default).

Run as ``python -m siputri.devenv``; it needs only the standard library, since it runs before
Django can start. The generated SECRET_KEY is kept across runs (so sign-ins survive a
restart); DEBUG and the derived SITE_URL/ALLOWED_HOSTS are written afresh each time from the
environment (``DEBUG``, ``HOST``, ``PORT``, ``SITE_URL``). Any other line a developer added to
the file is kept. Settings read the file when present (see ``siputri.env.read_env_file``), so
every command in README.md works in the same shell right after ``make run``.
"""

import argparse
import os
import secrets
import socket
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
HEADER = "# Development settings written by `make run` (siputri/devenv.py). Not read when DEBUG=0 is set."
# Addresses that mean "every interface": nobody can browse to them, so links use the host name.
WILDCARDS = {"0.0.0.0", "::", "[::]"}  # noqa: S104 -- compared against, never bound


def parse(text: str) -> dict[str, str]:
    values = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _sep, value = line.partition("=")
        values[key.strip()] = value.strip().strip("'\"")
    return values


def site_host(host: str) -> str:
    return socket.gethostname() if host in WILDCARDS else host


def settings_for(environ: dict[str, str], existing: dict[str, str]) -> dict[str, str]:
    """The development settings for this run: the existing file's values, with the derived
    ones refreshed from ``environ``."""
    host = environ.get("HOST") or "127.0.0.1"
    port = environ.get("PORT") or "8000"
    shown = site_host(host)
    url_host = f"[{shown}]" if ":" in shown else shown
    values = dict(existing)
    values["DEBUG"] = environ.get("DEBUG") or "1"
    values["SECRET_KEY"] = existing.get("SECRET_KEY") or _legacy_key() or secrets.token_urlsafe(50)
    values["SITE_URL"] = environ.get("SITE_URL") or f"http://{url_host}:{port}"
    hosts = ["127.0.0.1", "localhost", shown]
    values["ALLOWED_HOSTS"] = environ.get("ALLOWED_HOSTS") or ",".join(dict.fromkeys(hosts))
    values.setdefault("LOG_FORMAT", "text")  # readable lines in a terminal; production logs JSON
    return values


def _legacy_key() -> str:
    """The key earlier versions kept in var/, so existing sign-ins survive the upgrade."""
    old = BASE_DIR / "var" / "dev-secret-key"
    return old.read_text().strip() if old.exists() else ""


def write(path: Path, environ: dict[str, str]) -> dict[str, str]:
    existing = parse(path.read_text()) if path.exists() else {}
    values = settings_for(environ, existing)
    path.write_text(HEADER + "\n" + "".join(f"{key}={value}\n" for key, value in values.items()))
    path.chmod(0o600)
    return values


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--path", type=Path, default=BASE_DIR / ".env")
    args = parser.parse_args()
    values = write(args.path, dict(os.environ))
    print(f"Development settings in {args.path} (SITE_URL={values['SITE_URL']})")


if __name__ == "__main__":
    main()
