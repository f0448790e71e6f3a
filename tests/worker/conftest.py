"""Tests against a real Celery worker and broker: the tasks leave this process through Redis
and come back through a worker's consumer, as in production.

They run when ``CELERY_TEST_BROKER`` names a broker (``.ci/run`` starts a Redis of its own and
sets it); otherwise they are skipped. The worker runs in a thread of the test process, so it
sees the test database; the tests commit (``transactional_db``) so that it can.
"""

import os
import time

import pytest
from celery.contrib.testing.worker import start_worker

from siputri.celery import app

BROKER = os.environ.get("CELERY_TEST_BROKER", "")


def pytest_collection_modifyitems(items):
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.fspath).startswith(here) and not BROKER:
            item.add_marker(pytest.mark.skip(reason="set CELERY_TEST_BROKER=redis://… to run against a real worker"))


@pytest.fixture
def worker(transactional_db):
    """A real worker consuming from the broker named by CELERY_TEST_BROKER; tasks are sent to
    it, not run in-process."""
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=BROKER, task_always_eager=False)
    app.connection_for_write().ensure_connection(max_retries=1)  # fail, not hang, without a broker
    with app.connection_for_write() as connection:
        connection.default_channel.queue_purge(app.conf.task_default_queue)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            yield app
    finally:
        app.conf.update(saved)


@pytest.fixture
def eventually():
    """Wait until ``check()`` is true (the worker works while the test waits)."""

    def wait(check, timeout=60.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if check():
                return True
            time.sleep(0.1)
        raise AssertionError(f"not done within {timeout:.0f} s")

    return wait
