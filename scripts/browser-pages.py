#!/usr/bin/env python3
"""Pages whose metrics are set by known delays, for scripts/bench-browser: served on 127.0.0.1 (port 0: a free one,
printed on the first line). Each delay is long beside a load's noise, so two readings of the same page can be
compared within 10%.

  /lcp    the main text arrives from a fetch answered after 1200 ms   (LCP ~1.2 s)
  /fcp    a stylesheet answered after 800 ms blocks the first paint    (FCP, LCP and load ~0.8 s)
  /load   an image answered after 900 ms holds the load event          (load ~0.9 s)
  /shift  a 300 px banner inserted above the text 300 ms after load    (CLS set by the layout)
  /busy   a 400 ms script task 100 ms after the first paint            (TBT ~350 ms)
"""
import http.server
import sys
import time
import urllib.parse

TEXT = "Release readiness, checked by a browser. " * 40
PAGES = {
    "/lcp": "<h1 style='font-size:12px'>Loading</h1><p id=main style='font-size:28px'></p>"
            "<script>fetch('/data?ms=1200').then(r => r.text()).then(t => { main.textContent = t; })</script>",
    "/fcp": "<link rel=stylesheet href='/css?ms=800'><h1>Styled late</h1><p style='font-size:22px'>" + TEXT + "</p>",
    "/load": "<h1>An image holds the load</h1><p>" + TEXT + "</p><img src='/img?ms=900' width=40 height=40>",
    "/shift": "<p style='font-size:22px'>" + TEXT + "</p><script>addEventListener('load', () => setTimeout(() => {"
              " const b = document.createElement('div'); b.style.height = '300px'; b.textContent = 'Banner';"
              " document.body.prepend(b); }, 300));</script>",
    "/busy": "<h1>Busy</h1><p>" + TEXT + "</p><script>setTimeout(() => { const end = performance.now() + 400;"
             " while (performance.now() < end) {} }, 100);</script>",
}
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082")


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        query = urllib.parse.parse_qs(url.query)
        time.sleep(int(query.get("ms", ["0"])[0]) / 1000)
        if url.path in PAGES:
            body, kind = ("<!doctype html><meta charset=utf-8><title>bench</title>" + PAGES[url.path]).encode(), "text/html"
        elif url.path == "/data":
            body, kind = TEXT.encode(), "text/plain"
        elif url.path == "/css":
            body, kind = b"body { font-family: sans-serif; }", "text/css"
        elif url.path == "/img":
            body, kind = PNG, "image/png"
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(f"http://127.0.0.1:{server.server_address[1]}", flush=True)
server.serve_forever()
