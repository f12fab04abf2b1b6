"""A real HTTP server on the loopback for the import tests (feeds, WordPress attachments):
the imports fetch over the network as in production. Paths not registered answer 404."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


class Files(dict):
    """path → (body bytes, content type); `url(path)` is its address on the server."""

    base = ""

    def url(self, path):
        return self.base + path


@pytest.fixture
def http_files():
    files = Files()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path not in files:
                self.send_error(404)
                return
            body, content_type = files[self.path]
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    files.base = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield files
    server.shutdown()
    server.server_close()
    thread.join()
