"""A Chorus client over the HTTP/JSON API, standard library only (docs/http.md).

    from chorus import Chorus, ChorusError
    db = Chorus("http://127.0.0.1:7301")
    v = db.put("greeting", "hello")          # the new version
    value, version = db.get("greeting")      # (None, version) when absent
    db.cas("greeting", "hi", version)        # raises ChorusError(status=412) if the version moved on
    db.delete("greeting")
    db.txn([("put", "a", "1"), ("delete", "b")])
    for event in db.watch("lab/"):          # committed changes under a prefix, as they happen
        print(event.id, event.kind, event.key, event.value, event.version)

Errors arrive as ChorusError, with the problem details the replica sent (status, title, detail and
extensions such as tx, abortCause, retry).
"""

import json
import urllib.error
import urllib.parse
import urllib.request

__all__ = ["Chorus", "ChorusError", "Change"]


class Change:
    """One committed change from a watch: kind is "put" or "delete"; id is the replica's apply
    sequence number, to resume from after a reconnect."""

    def __init__(self, id, kind, data):
        self.id = id
        self.kind = kind
        self.key = data.get("key")
        self.value = data.get("value")
        self.version = data.get("version")
        self.tx = data.get("tx")

    def __repr__(self):
        return "Change(%s %s %r=%r v%s)" % (self.id, self.kind, self.key, self.value, self.version)


class ChorusError(Exception):
    """A refusal from a replica, as RFC 9457 problem details."""

    def __init__(self, status, problem):
        self.status = status
        self.problem = problem
        self.detail = problem.get("detail", "")
        self.retry = bool(problem.get("retry", False))
        super().__init__("%d %s: %s" % (status, problem.get("title", ""), self.detail))


class Chorus:
    """One replica's HTTP API; any replica serves every key."""

    def __init__(self, base_url, timeout=30.0):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def _key_url(self, key):
        # Every byte but unreserved ones and '/' escaped: a slash stays part of the key.
        return "%s/v1/kv/%s" % (self.base_url, urllib.parse.quote(key, safe="/-._~"))

    def _send(self, method, url, body=None, headers=None):
        request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as e:
            raw = e.read()
            if e.code == 304:
                return e.code, dict(e.headers), raw
            try:
                problem = json.loads(raw.decode("utf-8"))
            except ValueError:
                problem = {"title": e.reason, "detail": raw.decode("utf-8", "replace")}
            err = ChorusError(e.code, problem)
            err.headers = dict(e.headers)
            raise err from None

    @staticmethod
    def _version(headers):
        etag = headers.get("ETag") or headers.get("Etag")
        return int(etag.strip('"')) if etag else None

    def get(self, key):
        """(value, version); (None, version) for an absent key (0 if it never existed)."""
        try:
            status, headers, body = self._send("GET", self._key_url(key))
        except ChorusError as e:
            if e.status == 404 and "version" in e.problem:
                return None, int(e.problem["version"])
            raise
        return body.decode("utf-8"), self._version(headers)

    def put(self, key, value, if_version=None, create_only=False):
        """Writes value; returns the new version. if_version: compare-and-set; create_only: absent keys only."""
        headers = {"Content-Type": "text/plain; charset=utf-8"}
        if if_version is not None:
            headers["If-Match"] = '"%d"' % if_version
        if create_only:
            headers["If-None-Match"] = "*"
        _, _, body = self._send("PUT", self._key_url(key), value.encode("utf-8"), headers)
        return json.loads(body)["version"]

    def cas(self, key, value, expected_version):
        return self.put(key, value, if_version=expected_version)

    def delete(self, key, if_version=None):
        headers = {"If-Match": '"%d"' % if_version} if if_version is not None else {}
        _, _, body = self._send("DELETE", self._key_url(key), None, headers)
        return json.loads(body)["version"]

    def txn(self, ops):
        """ops: ("put", key, value[, if_version]) or ("delete", key[, if_version]); all or nothing.
        Returns {key: version}."""
        out = []
        for op in ops:
            entry = {"op": op[0], "key": op[1]}
            rest = list(op[2:])
            if op[0] == "put":
                entry["value"] = rest.pop(0)
            if rest and rest[0] is not None:
                entry["ifVersion"] = rest[0]
            out.append(entry)
        body = json.dumps({"ops": out}).encode("utf-8")
        _, _, answer = self._send("POST", self.base_url + "/v1/txn", body, {"Content-Type": "application/json"})
        return json.loads(answer)["versions"]

    def watch(self, prefix="", last_event_id=None, timeout=60.0):
        """Opens a watch (raising ChorusError if the replica refuses it) and returns an iterator of
        Change, one for every committed change of a key under prefix, from now, or after
        last_event_id (nothing missed that the replica still holds; ChorusError 410 otherwise).
        A "truncated" change means the watch fell behind: read afresh, then watch again. The
        stream stays open until the caller stops iterating; timeout bounds each read (the replica
        sends a keep-alive every 10 s)."""
        url = "%s/v1/watch?%s" % (self.base_url, urllib.parse.urlencode({"prefix": prefix}))
        headers = {"Accept": "text/event-stream"}
        if last_event_id is not None:
            headers["Last-Event-ID"] = str(last_event_id)
        request = urllib.request.Request(url, headers=headers)
        try:
            response = urllib.request.urlopen(request, timeout=timeout)
        except urllib.error.HTTPError as e:
            raw = e.read()
            try:
                problem = json.loads(raw.decode("utf-8"))
            except ValueError:
                problem = {"title": e.reason, "detail": raw.decode("utf-8", "replace")}
            raise ChorusError(e.code, problem) from None
        return self._changes(response)

    @staticmethod
    def _changes(response):
        with response:
            event_id, kind = None, None
            for raw_line in response:
                line = raw_line.decode("utf-8").rstrip("\r\n")
                if line.startswith("id: "):
                    event_id = int(line[4:])
                elif line.startswith("event: "):
                    kind = line[7:]
                elif line.startswith("data: "):
                    yield Change(event_id, kind, json.loads(line[6:]))
                    event_id, kind = None, None

    def ready(self):
        """(True, []) when the replica should get traffic, else (False, reasons)."""
        try:
            _, _, body = self._send("GET", self.base_url + "/health/ready")
        except ChorusError as e:
            return False, e.problem.get("reasons", [e.detail])
        return True, json.loads(body).get("reasons", [])
