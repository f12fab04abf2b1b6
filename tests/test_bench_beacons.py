"""The beacon load generator's own HTTP/1.1 client (bench/beacons.py): the statuses it
counts must be the server's, whatever the framing of the answers, on one kept-alive
connection."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench.beacons import Connection, run


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive unless told otherwise
    connections: set = set()

    def log_message(self, *args):
        pass

    def do_POST(self):
        Handler.connections.add(self.client_address)
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.path == "/chunked":
            self.send_response(403)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for part in (b"Adresse ", b"d'un autre site."):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            self.wfile.write(b"0\r\n\r\n")
        elif self.path == "/sized":
            self.send_response(400)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)  # echoed: the client must read exactly that many bytes
        elif self.path == "/close":
            self.send_response(429)
            self.send_header("Content-Length", "2")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(b"no")
            self.close_connection = True
        else:
            self.send_response(204)
            self.end_headers()

    do_GET = do_POST


@pytest.fixture
def server():
    Handler.connections = set()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


def test_statuses_of_every_framing_on_one_kept_alive_connection(server):
    conn = Connection(server)
    headers = {"Host": "localhost", "Content-Type": "text/plain"}
    statuses = [
        conn.request("POST", path, b'{"url": "x"}', headers)
        for path in ("/stats/event", "/chunked", "/sized", "/stats/event", "/sized")
    ]
    assert statuses == [204, 403, 400, 204, 400]
    assert len(Handler.connections) == 1  # every answer read to its end: one connection
    assert conn.request("POST", "/close", b"{}", headers) == 429
    assert conn.sock is None  # the server said close: the next request reconnects
    assert conn.request("POST", "/stats/event", b"{}", headers) == 204
    assert len(Handler.connections) == 2
    conn.close()


def test_a_run_counts_the_answers_it_got(server):
    targets = [
        {"host": "localhost", "body": '{"url": "http://localhost/"}'},
        {"host": "localhost", "path": "/chunked"},
    ]
    result = run(server, targets, rate=200, duration=0.5, threads=2, name="t", path="/stats/event")
    assert result["statuses"].keys() <= {"204", "403"} and result["statuses"]["204"] > 0
    assert result["ok"] == result["statuses"]["204"] == len(result["latencies_ms"])
    assert result["cpu_s"] > 0
