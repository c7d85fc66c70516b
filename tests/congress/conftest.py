import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests import factories


@pytest.fixture
def tianhe():
    """A county congress (天河区) ..."""
    return factories.CongressFactory(region=factories.county("440106", "天河区"))


@pytest.fixture
def nanshan():
    """... and another county (南山区) whose staff must never see the first one's records."""
    return factories.CongressFactory(region=factories.county("440305", "南山区"))


class Receiver:
    """A local HTTP endpoint that records what it gets and answers with the status it is told."""

    def __init__(self):
        self.requests, self.status = [], 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings):
    # The receiver listens on loopback: reachable only as an intranet receiver the operator allows.
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    server = Receiver()
    yield server
    server.close()
