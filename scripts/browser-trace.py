#!/usr/bin/env python3
"""Chromium's own numbers for a page, read from its performance trace: the reference that scripts/bench-browser
compares gonogo's browser checks with.

Independent of gonogo's code on purpose: its own Chromium (Debian's `chromium`), driven over
--remote-debugging-pipe from Python's standard library, each load cold (a new browser context) and traced with the
categories Lighthouse reads. From the trace events of the main frame, with times from its navigationStart:

  fcp   firstContentfulPaint
  lcp   the last largestContentfulPaint::Candidate
  load  loadEventEnd (blink.user_timing)
  cls   the largest session window (gaps < 1 s, windows <= 5 s) of LayoutShift events without recent input,
        their weighted_score_delta summed
  tbt   each main-thread task (RunTask on CrRendererMain) after FCP, past its first 50 ms

Usage: browser-trace.py URL [URL ...] [--runs N]   prints one JSON object per URL: the values of each load.
"""
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time

CATEGORIES = [
    "loading", "devtools.timeline", "blink.user_timing", "rail", "toplevel", "__metadata",
    "disabled-by-default-devtools.timeline",
]


class Browser:
    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="bench-browser-")
        args = ["chromium", "--headless", "--remote-debugging-pipe", f"--user-data-dir={self.profile}",
                "--no-first-run", "--no-default-browser-check", "--disable-gpu", "--disable-extensions",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--hide-scrollbars", "--disable-dev-shm-usage", "--mute-audio"]
        if os.geteuid() == 0:
            args.append("--no-sandbox")
        # The pipe is fds 3 (commands in) and 4 (answers out): a shell moves stdin and stdout there.
        self.proc = subprocess.Popen(
            ["sh", "-c", 'exec "$@" 3<&0 4>&1 0</dev/null 1>/dev/null 2>/dev/null', "sh", *args, "about:blank"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.next_id = 0
        self.buffer = b""
        self.events = []  # (sessionId, method, params) not yet read

    def close(self):
        try:
            self.send("Browser.close")
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        shutil.rmtree(self.profile, ignore_errors=True)

    def _read(self, deadline):
        while b"\0" not in self.buffer:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self.proc.stdout], [], [], max(0, left))
            if not ready:
                raise TimeoutError("Chromium did not answer")
            chunk = os.read(self.proc.stdout.fileno(), 1 << 20)
            if not chunk:
                raise EOFError("Chromium ended")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def send(self, method, params=None, session=None, timeout=30):
        self.next_id += 1
        command = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            command["sessionId"] = session
        self.proc.stdin.write(json.dumps(command).encode() + b"\0")
        self.proc.stdin.flush()
        deadline = time.monotonic() + timeout
        while True:
            message = self._read(deadline)
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            if "method" in message:
                self.events.append((message.get("sessionId"), message["method"], message.get("params", {})))

    def wait_for(self, method, timeout=30):
        return self.wait_for_any((method,), timeout)

    def wait_for_any(self, methods, timeout=60):
        deadline = time.monotonic() + timeout
        while True:
            for i, event in enumerate(self.events):
                if event[1] in methods:
                    del self.events[i]
                    return event
            message = self._read(deadline)
            if "method" in message:
                self.events.append((message.get("sessionId"), message["method"], message.get("params", {})))


def trace_load(browser, url, quiet=2.0):
    context = browser.send("Target.createBrowserContext")["browserContextId"]
    target = browser.send("Target.createTarget", {"url": "about:blank", "browserContextId": context})["targetId"]
    session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    browser.send("Page.enable", session=session)
    browser.send("Tracing.start", {"transferMode": "ReportEvents",
                                   "traceConfig": {"includedCategories": CATEGORIES}}, session=session)
    browser.events.clear()
    browser.send("Page.navigate", {"url": url}, session=session)
    browser.wait_for("Page.loadEventFired")
    # Late content (a fetch after load, a banner) is part of the load: the same quiet time after the load event.
    end = time.monotonic() + quiet
    while time.monotonic() < end:
        browser.send("Runtime.evaluate", {"expression": "1"}, session=session)
        time.sleep(0.05)
    browser.send("Tracing.end", session=session)
    events = []
    while True:
        _, method, params = browser.wait_for_any(("Tracing.dataCollected", "Tracing.tracingComplete"))
        if method == "Tracing.tracingComplete":
            break
        events.extend(params.get("value", []))
    browser.send("Target.closeTarget", {"targetId": target})
    browser.send("Target.disposeBrowserContext", {"browserContextId": context})
    return metrics(events, url)


def metrics(events, url):
    # The main frame: the one whose navigationStart loads the document (about:blank's does not).
    starts = [e for e in events if e.get("name") == "navigationStart"
              and (e.get("args", {}).get("data", {}).get("isLoadingMainFrame"))
              and e.get("args", {}).get("data", {}).get("documentLoaderURL", "").startswith(url.split("#")[0])]
    if not starts:
        raise RuntimeError(f"no navigationStart for {url} in the trace")
    start = starts[-1]
    frame, t0, pid = start["args"]["frame"], start["ts"], start["pid"]

    def of_frame(name):
        return [e for e in events if e.get("name") == name and e.get("ts", 0) >= t0
                and (e.get("args", {}).get("frame") == frame or e.get("args", {}).get("data", {}).get("frame") == frame)]

    ms = lambda e: (e["ts"] - t0) / 1000.0
    fcp = [ms(e) for e in of_frame("firstContentfulPaint")]
    lcp = [ms(e) for e in of_frame("largestContentfulPaint::Candidate")]
    load = [ms(e) for e in events if e.get("name") == "loadEventEnd" and e.get("ts", 0) >= t0
            and e.get("args", {}).get("frame") == frame]
    shifts = sorted((ms(e), e["args"]["data"].get("weighted_score_delta", e["args"]["data"].get("score", 0)))
                    for e in of_frame("LayoutShift") if not e["args"]["data"].get("had_recent_input"))
    cls, window, first, last = 0.0, 0.0, 0.0, -1e9
    for t, v in shifts:
        if t - last < 1000 and t - first < 5000:
            window += v
        else:
            window, first = v, t
        last = t
        cls = max(cls, window)
    threads = {(e["pid"], e["tid"]) for e in events if e.get("name") == "thread_name"
               and e.get("args", {}).get("name") == "CrRendererMain" and e["pid"] == pid}
    first_paint = min(fcp) if fcp else 0.0
    tbt = 0.0
    for e in events:
        if e.get("name") == "RunTask" and (e.get("pid"), e.get("tid")) in threads and e.get("ts", 0) >= t0:
            begin, duration = ms(e), e.get("dur", 0) / 1000.0
            if begin + duration > first_paint and duration > 50:
                tbt += max(0.0, begin + duration - max(begin, first_paint) - 50)
    return {"fcp": min(fcp) if fcp else None, "lcp": lcp[-1] if lcp else None, "load": max(load) if load else None,
            "cls": round(cls, 4), "tbt": tbt}


def main():
    args = sys.argv[1:]
    runs = 5
    if "--runs" in args:
        i = args.index("--runs")
        runs = int(args[i + 1])
        del args[i:i + 2]
    browser = Browser()
    try:
        browser.send("Browser.getVersion")
        for url in args:
            loads = [trace_load(browser, url) for _ in range(runs)]
            print(json.dumps({"url": url, "loads": loads}), flush=True)
    finally:
        browser.close()


if __name__ == "__main__":
    main()
