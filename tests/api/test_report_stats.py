"""Report statistics: counts by category, strand, area and month over every
consent level, small numbers shown as "<5", no total that gives a hidden
count away, JSON and CSV, bad queries refused."""
import csv
import io

import pytest
import requests

from harness import error_of


def hidden(v):
    return isinstance(v, str)


def check_suppressed(t):
    """Published counts are 0 or >= 5; no line with a published total has
    exactly one hidden count (which subtraction would give away)."""
    rows = t["rows"]
    cells = [c for r in rows for c in r["cells"]] + [r["total"] for r in rows] + \
        [c["total"] for c in t["columns"]] + [t["total"]]
    for v in cells:
        assert hidden(v) or v == 0 or v >= 5, v
        assert not hidden(v) or v in ("<5", "*")
    for r in rows:
        line = r["cells"]
        if not hidden(r["total"]) and len(line) > 1:
            assert sum(hidden(v) for v in line) != 1, r
    for k, col in enumerate(t["columns"]):
        line = [r["cells"][k] for r in rows]
        if not hidden(col["total"]):
            assert sum(hidden(v) for v in line) != 1, col
    line = [c["total"] for c in t["columns"]]
    if not hidden(t["total"]) and len(line) > 1:
        assert sum(hidden(v) for v in line) != 1
    line = [r["total"] for r in rows]
    if not hidden(t["total"]):
        assert sum(hidden(v) for v in line) != 1


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """A server of its own with a known set of reports."""
    import sys
    from harness import Server
    srv = Server(str(tmp_path_factory.mktemp("stats")))
    srv.user("stats-admin@test.example", "admin")
    srv.start()
    admin = srv.bearer("stats-admin@test.example")
    for a in [{"slug": "testshire", "name": "Testshire", "kind": "force_area"},
              {"slug": "test-city", "name": "Test City", "kind": "district", "parent": "testshire"},
              {"slug": "north-end", "name": "North End", "kind": "neighbourhood",
               "parent": "test-city"},
              {"slug": "south-end", "name": "South End", "kind": "neighbourhood",
               "parent": "test-city"}]:
        assert admin.post(srv.url + "/api/v1/areas", json=a).status_code == 201
    admin.post(srv.url + "/api/v1/orgs", json={"slug": "testshire-police", "name": "Testshire Police",
                                               "kind": "police", "areas": ["testshire"]})
    plan = (
        # category, strands, area, month, consent, how many
        [("hate_crime", ["race"], "north-end", "2025-01", "statistics", 4),
         ("hate_crime", ["race", "religion"], "north-end", "2025-02", "anonymous", 2),
         ("hate_crime", ["race"], "south-end", "2025-02", "identified", 3),
         ("anti_social_behaviour", [], "south-end", "2025-01", "anonymous", 3),
         ("anti_social_behaviour", [], "north-end", "2025-02", "statistics", 6),
         ("community_tension", [], "north-end", "2025-03", "identified", 1)])
    receipts = []
    for cat, strands, area, month, consent, n in plan:
        for i in range(n):
            body = {"category": cat, "strands": strands, "description": "stats test",
                    "occurred_at": f"{month}-1{i}T12:00:00Z", "area": area, "consent": consent,
                    "reporter": {"email": "s@example.org"}}
            r = requests.post(srv.url + "/api/v1/reports", json=body)
            assert r.status_code == 201, r.text
            receipts.append(r.json()["receipt"])
    # An erased report still counts.
    requests.post(srv.url + "/api/v1/receipts/" + receipts[0] + "/erase", json={"confirm": True})
    yield srv
    srv.stop()


def stats(world, **q):
    r = requests.get(world.url + "/api/v1/reports/stats", params=q)
    assert r.status_code == 200, r.text
    t = r.json()
    check_suppressed(t)
    return t


def by_key(t):
    return {r["key"]: r for r in t["rows"]}


def same(got, want):
    """got is want, or hidden: "<5" when want is small, "*" (a complement)
    otherwise."""
    assert len(got) == len(want), (got, want)
    for g, w in zip(got, want):
        if 0 < w < 5:
            assert g == "<5", (got, want)
        else:
            assert g == w or g == "*", (got, want)
    return True


def test_by_category(world):
    t = stats(world, by="category")
    assert t["by"] == ["category"] and t["threshold"] == 5
    rows = by_key(t)
    same(rows["hate_crime"]["cells"], [9])
    same(rows["anti_social_behaviour"]["cells"], [9])
    same(rows["community_tension"]["cells"], [1])
    assert rows["police_conduct"]["cells"] == [0]
    assert rows["hate_crime"]["label"] == "Hate crime"
    # One small count: the total (19) would give it away, so it is hidden too.
    assert t["total"] == "*" or sum(hidden(r["cells"][0]) for r in t["rows"]) >= 2
    fr = stats(world, by="category", lang="fr")
    assert by_key(fr)["hate_crime"]["label"] == "Crime de haine"


def test_by_strand_counts_each_strand(world):
    rows = by_key(stats(world, by="strand"))
    same(rows["race"]["cells"], [9])
    same(rows["religion"]["cells"], [2])
    assert rows["disability"]["cells"] == [0]


def test_by_area_and_month(world):
    rows = by_key(stats(world, by="area"))
    assert set(rows) == {"north-end", "south-end"}
    assert rows["north-end"]["cells"] == [13] and rows["south-end"]["cells"] == [6]
    assert rows["north-end"]["label"] == "North End"
    t = stats(world, by="month")
    assert [r["key"] for r in t["rows"]] == ["2025-01", "2025-02", "2025-03"]
    same([r["cells"][0] for r in t["rows"]], [7, 11, 1])


def test_two_dimensions_are_suppressed_as_a_table(world):
    t = stats(world, by="category,month")
    assert t["by"] == ["category", "month"]
    assert [c["key"] for c in t["columns"]] == ["2025-01", "2025-02", "2025-03"]
    # Hate crime: 4 in January (small), 5 in February; anti-social
    # behaviour: 3 and 6; community tension: 1 in March.
    same(by_key(t)["hate_crime"]["cells"], [4, 5, 0])
    same(by_key(t)["anti_social_behaviour"]["cells"], [3, 6, 0])
    same(by_key(t)["community_tension"]["cells"], [0, 0, 1])


def test_filters(world):
    t = stats(world, by="category", area="south-end")
    same(by_key(t)["hate_crime"]["cells"], [3])
    t = stats(world, by="month", category="anti_social_behaviour", **{"from": "2025-02",
                                                                      "to": "2025-03"})
    assert [r["key"] for r in t["rows"]] == ["2025-02"] and t["rows"][0]["cells"] == [6]
    assert t["total"] == 6
    t = stats(world, by="area", area="test-city")
    assert set(by_key(t)) == {"north-end", "south-end"}


def test_csv_matches_json(world):
    t = stats(world, by="category,area")
    r = requests.get(world.url + "/api/v1/reports/stats",
                     params={"by": "category,area", "format": "csv"})
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "text/csv; charset=utf-8"
    lines = list(csv.reader(io.StringIO(r.text)))
    assert lines[0] == ["category", "label"] + [c["key"] for c in t["columns"]] + ["total"]
    for line, row in zip(lines[1:], t["rows"]):
        assert line == [row["key"], row["label"]] + [str(v) for v in row["cells"]] + \
            [str(row["total"])]
    assert lines[-1] == ["total", ""] + [str(c["total"]) for c in t["columns"]] + [str(t["total"])]


@pytest.mark.parametrize("q,field", [
    ({"by": "colour"}, "by"), ({"by": "category,category"}, "by"),
    ({"by": "category,area,month"}, "by"), ({"format": "pdf"}, "format"),
    ({"category": "burglary"}, "category"), ({"area": "atlantis"}, "area"),
    ({"from": "2025-13"}, "from"), ({"to": "March"}, "to"),
])
def test_bad_queries(world, q, field):
    r = requests.get(world.url + "/api/v1/reports/stats", params=q)
    assert r.status_code == 400, r.text
    assert error_of(r)["field"] == field
