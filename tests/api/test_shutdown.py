"""Clean shutdown: SIGTERM lets requests in flight finish, and every write
the server acknowledged is there after a restart."""
import signal
import threading

import requests


def test_sigterm_finishes_in_flight_and_keeps_acknowledged_writes(fresh_server):
    srv = fresh_server()
    srv.user("admin@x.example", "admin")
    auth = srv.bearer("admin@x.example").headers["Authorization"]
    acknowledged = []
    errors = []
    stop = threading.Event()

    def writer(n):
        s = requests.Session()
        s.headers["Authorization"] = auth
        i = 0
        while not stop.is_set() and i < 400:
            slug = f"org-{n}-{i}"
            try:
                r = s.post(srv.url + "/api/v1/orgs", json={"slug": slug, "name": slug, "kind": "community"},
                           timeout=10)
            except requests.RequestException:
                break
            if r.status_code == 201:
                acknowledged.append(slug)
            elif r.status_code not in (503,):
                errors.append(r.status_code)
            i += 1

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    import time
    deadline = time.time() + 60
    while len(acknowledged) < 40 and time.time() < deadline:
        time.sleep(0.01)
    rc = srv.stop(signal.SIGTERM)
    stop.set()
    for t in threads:
        t.join()
    assert rc == 0
    assert not errors, errors
    assert "stopped" in srv.read_log()
    srv.start()
    orgs = {o["slug"] for o in requests.get(srv.url + "/api/v1/orgs").json()["orgs"]}
    missing = [a for a in acknowledged if a not in orgs]
    assert not missing, missing[:5]
