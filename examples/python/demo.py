#!/usr/bin/env python3
"""Puts, reads, compare-and-sets, deletes and batches against a live Chorus cluster over HTTP.

    python3 examples/python/demo.py --url http://127.0.0.1:7301 --other http://127.0.0.1:7303

Prints one line per step and exits 0, or names the step that went wrong and exits 1.
"""

import argparse
import os
import queue
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from chorus import Chorus, ChorusError  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:7301", help="a replica's HTTP address")
    parser.add_argument("--other", default="http://127.0.0.1:7303", help="another replica, to read from")
    parser.add_argument("--prefix", default="demo/", help="prefix of the keys this demo writes")
    args = parser.parse_args()
    a, b = Chorus(args.url), Chorus(args.other)
    key = args.prefix + "r\u00e9sum\u00e9 1"

    def step(name, ok):
        print(("ok   " if ok else "FAIL ") + name)
        if not ok:
            sys.exit(1)

    changes = queue.Queue()

    def drain(stream):
        try:
            for change in stream:
                changes.put(change)
        except Exception as e:  # reported by the step that waits for the changes
            changes.put(e)

    try:
        # Open before writing (the call returns once the replica accepted the watch), read aside.
        threading.Thread(target=drain, args=(b.watch(args.prefix),), daemon=True).start()
        v1 = a.put(key, "first \u2603")
        step("put %r -> version %d" % (key, v1), v1 >= 1)
        value, version = b.get(key)
        step("get at the other replica -> %r version %d" % (value, version), value == "first \u2603" and version == v1)
        v2 = b.cas(key, "second", v1)
        step("cas at version %d -> version %d" % (v1, v2), v2 == v1 + 1)
        try:
            a.cas(key, "late", v1)
            step("a stale cas is refused", False)
        except ChorusError as e:
            step("a stale cas is refused: %d %s" % (e.status, e.problem.get("abortCause")),
                 e.status == 412 and not e.retry)
        versions = a.txn([("put", args.prefix + "x", "1"), ("put", args.prefix + "y", "2")])
        step("txn -> %s" % sorted(versions.items()), len(versions) == 2)
        v3 = a.delete(key)
        value, version = b.get(key)
        step("delete -> version %d; get -> %r version %d" % (v3, value, version), value is None and version == v3)
        try:
            a.put("", "no key")
            step("an empty key is refused", False)
        except ChorusError as e:
            step("an empty key is refused: %d %s" % (e.status, e.detail), e.status == 400)
        expected = [("put", key), ("put", key), ("put", args.prefix + "x"), ("put", args.prefix + "y"), ("delete", key)]
        seen = []
        try:
            while len(seen) < len(expected):
                c = changes.get(timeout=30)
                if isinstance(c, Exception):
                    raise c
                seen.append(c)
        except queue.Empty:
            pass
        kinds = [(c.kind, c.key) for c in seen]
        step("watch at the other replica saw %d changes, in order: %s" % (len(seen), kinds), kinds == expected)
        ready, reasons = a.ready()
        step("ready: %s %s" % (ready, reasons), ready)
    except ChorusError as e:
        print("FAIL %s" % e)
        return 1
    except OSError as e:
        print("FAIL cannot reach the replica: %s" % e)
        return 1
    print("all steps passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
