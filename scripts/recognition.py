#!/usr/bin/env python3
"""Scores gonogo's recognition against hand labels (see scripts/bench-recognition). Standard library only."""
import argparse
import json
import os
import re
import subprocess
import sys

NOT_AUTOMATED = {"manual", "group"}


def load_labels(path):
    labels = {}
    with open(path, encoding="utf-8") as f:
        next(f)  # header
        for n, row in enumerate(f, start=2):
            row = row.rstrip("\n")
            if not row:
                continue
            parts = row.split("\t")
            if len(parts) != 3:
                sys.exit(f"{path}:{n}: expected line<TAB>kind<TAB>params")
            try:
                labels[int(parts[0])] = (parts[1], json.loads(parts[2]))
            except (ValueError, json.JSONDecodeError) as e:
                sys.exit(f"{path}:{n}: {e}")
    return labels


def threshold_of(value):
    """(metric, op, value, unit) from a label's text ("p95 < 500 ms") or gonogo's object."""
    if isinstance(value, dict):
        return (value.get("metric") or None, value.get("op"), float(value.get("value")), value.get("unit") or None)
    m = re.match(r"^\s*([A-Za-z][\w()]*)?\s*(<=|>=|<|>|=|==|≤|≥)\s*([\d.]+)\s*(\S+)?\s*$", str(value))
    if not m:
        return None
    op = {"≤": "<=", "≥": ">=", "==": "="}.get(m.group(2), m.group(2))
    return (m.group(1), op, float(m.group(3)), m.group(4))


def duration_seconds(value):
    """Seconds from 60, "60", "60s", "1 min", "2 h"; None when it is no duration."""
    if isinstance(value, (int, float)):
        return float(value)
    m = re.match(r"^\s*([\d.]+)\s*([a-z]*)\s*$", str(value).lower())
    if not m:
        return None
    factor = {"": 1, "s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1, "m": 60, "min": 60, "mins": 60,
              "minute": 60, "minutes": 60, "h": 3600, "hour": 3600, "hours": 3600, "d": 86400, "day": 86400,
              "days": 86400}.get(m.group(2))
    return None if factor is None else float(m.group(1)) * factor


def same_param(key, expected, actual, params=None):
    if actual is None and key == "value" and isinstance((params or {}).get("threshold"), dict):
        # A setting's value as a bound: `statement_timeout` = `5s` and "= 5000 ms" are the same.
        return same_param("threshold", "= " + str(expected), params["threshold"])
    if actual is None:
        # A request's method is GET when the plan names none (http.* kinds' default).
        return key == "method" and str(expected).upper() == "GET"
    if key == "window":
        # A window of 60 and "60s" or "1 min" are the same.
        seconds = lambda v: duration_seconds(v)
        return seconds(expected) is not None and seconds(expected) == seconds(actual)
    if key == "threshold":
        e, a = threshold_of(expected), threshold_of(actual)
        if e is None or a is None:
            return False
        # The same duration in other units ("7 days" and 604800 s) is the same bound.
        ms = {"ms": 1, "s": 1000, "sec": 1000, "seconds": 1000, "min": 60000, "minutes": 60000, "h": 3600000,
              "hours": 3600000, "day": 86400000, "days": 86400000}
        if (e[3] or "").lower() in ms and (a[3] or "").lower() in ms:
            e = (e[0], e[1], e[2] * ms[e[3].lower()], "ms")
            a = (a[0], a[1], a[2] * ms[a[3].lower()], "ms")
        # And the same size ("64MB" and 65536 kB, PostgreSQL's units of 1024).
        kb = {"kb": 1, "mb": 1024, "gb": 1024 * 1024, "tb": 1024 ** 3}
        if (e[3] or "").lower() in kb and (a[3] or "").lower() in kb:
            e = (e[0], e[1], e[2] * kb[e[3].lower()], "kB")
            a = (a[0], a[1], a[2] * kb[a[3].lower()], "kB")
        metric_ok = e[0] is None or (a[0] or "").lower().strip("()") == e[0].lower().strip("()")
        unit_ok = e[3] is None or a[3] is None or e[3].lower() == a[3].lower()
        return metric_ok and e[1] == a[1] and abs(e[2] - a[2]) < 1e-9 and unit_ok
    if isinstance(expected, list) or isinstance(actual, list):
        # CSP keywords are quoted in the header ('unsafe-inline'); a label may name them bare.
        as_set = lambda v: {str(x).strip("'\"").lower() for x in (v if isinstance(v, list) else [v])}
        return as_set(expected) == as_set(actual)
    if key == "encoding":
        # "gzip|br" and "br|gzip": either encoding, in any order.
        return set(str(expected).lower().split("|")) == set(str(actual).lower().split("|"))
    return str(expected).strip().lower() == str(actual).strip().lower()


def judge(expected, actual):
    """'right', 'false' (an automated kind that checks something else) or 'missed' (manual where a check was due)."""
    (ekind, eparams), (akind, aparams) = expected, actual
    if akind in NOT_AUTOMATED:
        return "right" if ekind in NOT_AUTOMATED else "missed"
    if akind != ekind:
        return "false"
    ok = all(same_param(k, v, aparams.get(k), aparams) for k, v in eparams.items())
    return "right" if ok else "false"


def plan(gonogo, path):
    out = subprocess.run([gonogo, "plan", path, "--format", "json"], capture_output=True, text=True)
    if out.returncode != 0:
        return None, out.stderr.strip()
    return {i["line"]: (i["kind"], i.get("params") or {}) for i in json.loads(out.stdout)["items"]}, None


def score(part, args, corpus):
    folder = os.path.join(args.labels, part)
    totals = {"items": 0, "right": 0, "false": 0, "missed": 0, "labelled_auto": 0}
    rows, details = [], []
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".tsv"):
            continue
        base = name[:-4]
        labels = load_labels(os.path.join(folder, name))
        planned, error = plan(args.gonogo, os.path.join(corpus, base + ".md"))
        if planned is None:
            sys.exit(f"gonogo plan {base}.md failed: {error}")
        counts = {"items": 0, "right": 0, "false": 0, "missed": 0}
        for line, expected in sorted(labels.items()):
            actual = planned.get(line, ("missing", {}))
            verdict = judge(expected, actual)
            counts["items"] += 1
            counts[verdict] += 1
            totals["labelled_auto"] += expected[0] not in NOT_AUTOMATED
            if verdict != "right" and part != "heldout":
                details.append(f"  {base}.md:{line}: {verdict}: expected {expected[0]} {json.dumps(expected[1])}, "
                               f"got {actual[0]} {json.dumps(actual[1])}")
        for k in counts:
            totals[k] += counts[k]
        rows.append((base, counts))
    return totals, rows, details


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--gonogo", required=True)
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--labels", required=True)
    parser.add_argument("--own", required=True, help="the project's own checklists (fixtures/recognition)")
    parser.add_argument("--fresh", required=True, help="the project's validation checklists (fixtures/recognition-fresh)")
    parser.add_argument("--fresh2", required=True, help="the project's second validation set (fixtures/recognition-fresh2)")
    parser.add_argument("--fresh3", required=True, help="the project's third validation set (fixtures/recognition-fresh3)")
    parser.add_argument("--fresh4", required=True, help="the project's fourth validation set (fixtures/recognition-fresh4)")
    parser.add_argument("--fresh5", required=True, help="the project's fifth validation set (fixtures/recognition-fresh5)")
    parser.add_argument("--list", action="store_true")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    failed = False
    parts = [
        ("tuned", "tuned on (12 checklists)", args.corpus),
        ("own", "the project's own (6 checklists, written for it)", args.own),
        ("fresh", "the project's fresh set (4 checklists written for it; its first run, before tuning: 238 right, 49 false)", args.fresh),
        ("fresh2", "the project's second fresh set (4 checklists written for it; its first run, before tuning: 277 right, 47 false)", args.fresh2),
        ("fresh3", "the project's third fresh set (4 checklists written for it; its first run, before tuning: 291 right, 21 false)", args.fresh3),
        ("fresh4", "the project's fourth fresh set (4 checklists written for it; its first run, before tuning: 264 right, 29 false)", args.fresh4),
        ("fresh5", "the project's fifth fresh set (4 checklists written for it; its first run, before tuning: 277 right, 25 false)", args.fresh5),
        ("heldout", "held out (8 checklists, never tuned on)", args.corpus),
    ]
    for part, title, corpus in parts:
        totals, rows, details = score(part, args, corpus)
        n = max(1, totals["items"])
        print(f"{title}: {totals['items']} items, {totals['right']} right ({100 * totals['right'] / n:.1f}%), "
              f"{totals['false']} false automations, {totals['missed']} missed checks "
              f"({totals['labelled_auto']} items labelled automatable)")
        if part != "heldout":
            for base, c in rows:
                print(f"  {base}: {c['right']}/{c['items']} right, {c['false']} false, {c['missed']} missed")
            if args.list and details:
                print("\n".join(details))
            if args.check and totals["false"] > 0 and part == "tuned":
                failed = True
    if failed:
        print("bench-recognition: false automations in the tuned part (scripts/bench-recognition --list)",
              file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
