"""Gunicorn settings, read from the working directory by every `gunicorn` started here (the production image's
web service, the benchmarks); command-line options still win."""

import gc


def post_worker_init(worker):
    # What the worker loaded at start-up (Django, URL patterns, serializers, translations) lives as long as the
    # worker: frozen out of the cyclic collector's sight, a full collection no longer walks it mid-request.
    gc.freeze()
