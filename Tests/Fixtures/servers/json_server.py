#!/usr/bin/env python3
"""A small HTTP/1.x server for Sovren's loopback capture tests.

It listens on 127.0.0.1 and, when the machine supports it, on [::1] with the same free port,
prints one line `READY <port> ipv6=<yes|no>` on standard output, and serves until it is
terminated. Every answer is written byte for byte by hand so the test knows exactly what went
on the wire; bodies are derived from the request target only, so the test can compute them
(see `document` and `LoopbackCaptureTests.swift`, which must agree).

Routes (by first path segment; the target, query included, goes into the body):
  /json/...        200 application/json, Content-Length
  /chunked/...     200 application/json, chunked in several writes, with a trailer
  /gzip/...        200 application/json, gzip when the request accepts it, Content-Length
  /large/...       200 application/json, about 300 KB, Content-Length
  /echo/...        POST: 200 application/json {"target":...,"received":<request body>}
  /form/...        POST: 200 application/x-www-form-urlencoded, the request body echoed
  /nocontent/...   204, no body, no content type
  /text/...        200 text/plain
  /close/...       HTTP/1.0 200 application/json, no length: the body ends when we close
  /metrics, /healthz   200 text/plain (Prometheus style)
  anything else    404 application/json
HEAD gets the GET answer's head without its body.
"""

import gzip
import http.server
import socket
import sys
import threading

SMALL_ITEMS = 3
LARGE_ITEMS = 7000


def document(target, count):
    """The JSON body for a target; LoopbackCaptureTests.swift builds the same bytes."""
    items = ",".join('{"i":%d,"email":"user%d@example.com"}' % (i, i) for i in range(count))
    return ('{"target":"%s","items":[%s]}' % (target, items)).encode()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        sys.stderr.write("%s %s\n" % (self.address_string(), format % args))

    def send_raw(self, status_line, headers, body, send_body=True):
        head = status_line + "\r\n"
        for name, value in headers:
            head += "%s: %s\r\n" % (name, value)
        head += "\r\n"
        self.wfile.write(head.encode("latin-1"))
        if send_body and body:
            self.wfile.write(body)

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def route(self):
        return self.path.split("?", 1)[0].split("/")[1] if self.path.startswith("/") else ""

    def answer(self, send_body):
        route = self.route()
        target = self.path
        if route in ("json", "large", "gzip"):
            body = document(target, LARGE_ITEMS if route == "large" else SMALL_ITEMS)
            headers = [("Content-Type", "application/json")]
            if route == "gzip" and "gzip" in (self.headers.get("Accept-Encoding") or ""):
                body = gzip.compress(body, mtime=0)
                headers.append(("Content-Encoding", "gzip"))
            headers.append(("Content-Length", str(len(body))))
            self.send_raw("HTTP/1.1 200 OK", headers, body, send_body)
        elif route == "chunked":
            self.send_raw(
                "HTTP/1.1 200 OK",
                [("Content-Type", "application/json; charset=utf-8"),
                 ("Transfer-Encoding", "chunked"), ("Trailer", "X-Checksum")],
                b"", False)
            if send_body:
                body = document(target, SMALL_ITEMS)
                third = len(body) // 3
                for part in (body[:third], body[third:2 * third], body[2 * third:]):
                    self.wfile.write(b"%x\r\n" % len(part) + part + b"\r\n")
                self.wfile.write(b"0\r\nX-Checksum: %d\r\n\r\n" % sum(body))
        elif route == "nocontent":
            self.send_raw("HTTP/1.1 204 No Content", [], b"", send_body)
        elif route == "text":
            body = ("plain text for %s\n" % target).encode()
            self.send_raw("HTTP/1.1 200 OK",
                          [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))],
                          body, send_body)
        elif route in ("metrics", "healthz"):
            body = b"# TYPE requests_total counter\nrequests_total 1\n"
            self.send_raw("HTTP/1.1 200 OK",
                          [("Content-Type", "text/plain; version=0.0.4"),
                           ("Content-Length", str(len(body)))],
                          body, send_body)
        elif route == "close":
            body = document(target, SMALL_ITEMS)
            self.send_raw("HTTP/1.0 200 OK",
                          [("Content-Type", "application/json"), ("Connection", "close")],
                          body, send_body)
            self.close_connection = True
        else:
            body = ('{"error":"not found","target":"%s"}' % target).encode()
            self.send_raw("HTTP/1.1 404 Not Found",
                          [("Content-Type", "application/json"), ("Content-Length", str(len(body)))],
                          body, send_body)

    def do_GET(self):
        self.answer(send_body=True)

    def do_HEAD(self):
        self.answer(send_body=False)

    def do_POST(self):
        received = self.read_body()
        route = self.route()
        if route == "echo":
            body = b'{"target":"%s","received":%s}' % (self.path.encode(), received)
            content_type = "application/json"
        elif route == "form":
            body = received
            content_type = "application/x-www-form-urlencoded"
        else:
            self.answer(send_body=True)
            return
        self.send_raw("HTTP/1.1 200 OK",
                      [("Content-Type", content_type), ("Content-Length", str(len(body)))], body)

    def do_PUT(self):
        self.read_body()
        if self.route() == "nocontent":
            self.send_raw("HTTP/1.1 204 No Content", [], b"")
        else:
            self.answer(send_body=True)


class IPv6Server(http.server.ThreadingHTTPServer):
    address_family = socket.AF_INET6


def bind_servers():
    """A free port on 127.0.0.1, and the same port on [::1] when IPv6 loopback works."""
    for _ in range(50):
        v4 = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        port = v4.server_address[1]
        try:
            v6 = IPv6Server(("::1", port), Handler)
        except OSError as error:
            if error.errno == 98:  # EADDRINUSE: someone holds this port on ::1; pick another
                v4.server_close()
                continue
            return port, [v4]
        return port, [v4, v6]
    raise SystemExit("no port free on both 127.0.0.1 and ::1")


def main():
    port, servers = bind_servers()
    for server in servers:
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
    print("READY %d ipv6=%s" % (port, "yes" if len(servers) == 2 else "no"), flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
