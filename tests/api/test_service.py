"""GET /healthz, GET /metrics and the access log."""
import json
import re

import requests


def test_healthz(server):
    r = requests.get(server.url + "/healthz")
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "database": "ok"}


def test_metrics_counts_requests_by_route_and_status(server):
    requests.get(server.url + "/api/v1/orgs/leicestershire-police")
    requests.get(server.url + "/api/v1/orgs/nope")
    text = requests.get(server.url + "/metrics").text
    assert re.search(r'consent_http_requests_total\{method="GET",route="/api/v1/orgs/\{slug\}",'
                     r'status="200"\} [1-9]', text)
    assert re.search(r'consent_http_requests_total\{method="GET",route="/api/v1/orgs/\{slug\}",'
                     r'status="404"\} [1-9]', text)
    assert "# TYPE consent_http_request_duration_seconds histogram" in text
    m = re.search(r'consent_http_request_duration_seconds_bucket\{le="\+Inf"\} (\d+)', text)
    c = re.search(r'consent_http_request_duration_seconds_count (\d+)', text)
    assert m and c and m.group(1) == c.group(1) and int(c.group(1)) > 0
    assert re.search(r"consent_http_open_connections \d+", text)


def test_access_log_is_json_without_personal_data(server):
    s = server.login("t-orgadmin@test.example")
    token = s.token
    requests.get(server.url + "/api/v1/orgs?kind=police&secret=hunter2")
    requests.post(server.url + "/api/v1/login",
                  json={"email": "someone-private@test.example", "password": "not-logged-123"})
    log = server.read_log()
    lines = [l for l in log.splitlines() if l.startswith("{")]
    assert lines
    access = [json.loads(l) for l in lines if '"route"' in l]
    assert access
    for e in access:
        assert set(e) == {"time", "method", "route", "status", "duration_ms"}
    assert any(e["route"] == "/api/v1/orgs" for e in access)
    for needle in ["hunter2", "secret=", "someone-private", "not-logged-123", token,
                   "t-orgadmin"]:
        assert needle not in log, needle
