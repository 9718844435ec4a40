"""A collector that is down or busy, for the sender's retry paths: it answers every POST with the status it is
given (a 503 as a reverse proxy gives while the application is down, a 429 with Retry-After as a rate limit)."""

from __future__ import annotations

import http.server
import json
import threading
from typing import Any


class BusyCollector:
    """An HTTP server on 127.0.0.1 answering each request with `status` and the contract's error body."""

    def __init__(self, status: int, retry_after: str = "") -> None:
        self.status, self.retry_after, self.requests = status, retry_after, 0
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                outer.requests += 1
                body = json.dumps({"error": {"code": "busy", "message": "采集端繁忙", "path": None}}).encode()
                self.send_response(outer.status)
                if outer.retry_after:
                    self.send_header("Retry-After", outer.retry_after)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api/v1/exchange/collector/packages"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> BusyCollector:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
