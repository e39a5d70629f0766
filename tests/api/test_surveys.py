"""Trust surveys: waves, anonymous answers, CSV import with a report of bad
rows, indicators checked against an independent computation, and small-cell
suppression that cannot be undone from what is published."""
import math
import random

import requests

from harness import error_of

ITEMS = ["relied_on", "fair", "listen", "matters", "informed", "good_job"]


def wilson(x, n, z=1.959963984540054):
    p = x / n
    d = 1 + z * z / n
    c = p + z * z / (2 * n)
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return p, (c - h) / d, (c + h) / d


def make_wave(server, slug, area="testshire"):
    s = server.bearer("t-admin@test.example")
    s.post(server.url + "/api/v1/areas", json={"slug": area, "name": area.title(), "kind": "force_area"})
    r = s.post(server.url + "/api/v1/surveys", json={
        "slug": slug, "title": "Test " + slug, "area": area, "org": "leicestershire-opcc",
        "opens_at": "2020-01-01T00:00:00Z", "closes_at": "2099-01-01T00:00:00Z"})
    assert r.status_code == 201, r.text
    return s


def csv_of(rows):
    lines = ["ethnicity,religion,sex," + ",".join(ITEMS)]
    for e, rel, sex, ans in rows:
        lines.append(f"{e},{rel},{sex}," + ",".join(ans))
    return "\n".join(lines) + "\n"


def gen_rows(seed, n):
    rnd = random.Random(seed)
    groups = [("white-british", 0.7, 40), ("indian", 0.6, 30), ("black-caribbean", 0.3, 12),
              ("pakistani", 0.5, 6), ("arab", 0.4, 4), ("", 0.5, 8)]
    rows = []
    for code, p, weight in groups:
        for _ in range(int(n * weight / 100)):
            ans = []
            for _ in ITEMS:
                u = rnd.random()
                ans.append("0" if u < 0.05 else str(rnd.choice([4, 5]) if rnd.random() < p else rnd.choice([1, 2, 3])))
            rows.append((code, rnd.choice(["christian", "muslim", "none", ""]), rnd.choice(["female", "male"]), ans))
    return rows


def test_import_and_indicators_match_python(server):
    s = make_wave(server, "test-stats")
    rows = gen_rows(7, 600)
    r = s.post(server.url + "/api/v1/surveys/test-stats/import", data=csv_of(rows),
               headers={"Content-Type": "text/csv"})
    assert r.status_code == 200, r.text
    assert r.json()["imported"] == len(rows)
    ind = requests.get(server.url + "/api/v1/surveys/test-stats/indicators").json()
    assert ind["weighting"]["weighted"] is False
    for j, code in enumerate(ITEMS):
        item = next(i for i in ind["items"] if i["code"] == code)
        answers = [int(r[3][j]) for r in rows if r[3][j] != "0"]
        x = sum(a >= 4 for a in answers)
        p, lo, hi = wilson(x, len(answers))
        o = item["overall"]
        assert o["n"] == len(answers) and o["agree"] == x
        assert abs(o["p"] - p) < 1e-5 and abs(o["lo"] - lo) < 1e-5 and abs(o["hi"] - hi) < 1e-5
        for cell in item["breakdowns"]["ethnicity"]:
            if cell["suppressed"]:
                continue
            g = cell["group"] if cell["group"] != "not-stated" else ""
            ga = [int(r[3][j]) for r in rows if r[0] == g and r[3][j] != "0"]
            gx = sum(a >= 4 for a in ga)
            gp, glo, ghi = wilson(gx, len(ga))
            assert cell["n"] == len(ga) and abs(cell["p"] - gp) < 1e-5 and abs(cell["hi"] - ghi) < 1e-5
            assert abs(cell["gap"] - (gp - p)) < 1e-5
            # two-proportion z test of the group against everyone else
            ra = [int(r[3][j]) for r in rows if r[0] != g and r[3][j] != "0"]
            rx = sum(a >= 4 for a in ra)
            pp = (gx + rx) / (len(ga) + len(ra))
            z = (gx / len(ga) - rx / len(ra)) / math.sqrt(pp * (1 - pp) * (1 / len(ga) + 1 / len(ra)))
            assert abs(cell["p_value"] - math.erfc(abs(z) / math.sqrt(2))) < 1e-4
    # the dashboard shows the same overall figure
    html = requests.get(server.url + "/trust/testshire?item=fair").text
    fair = next(i for i in ind["items"] if i["code"] == "fair")["overall"]
    assert f"{fair['p'] * 100:.0f}%" in html and "<svg" in html and "viewBox" in html
    assert "<table>" in html and 'aria-labelledby="trend-t trend-d"' in html


def test_suppressed_cells_cannot_be_recomputed(server):
    """From n and agree of every published group and the overall figure,
    bound every suppressed group's n and agree by linear programming: each
    must still have more than one possible value."""
    from scipy.optimize import linprog
    s = make_wave(server, "test-supp", "suppshire")
    rows = gen_rows(11, 150)
    assert s.post(server.url + "/api/v1/surveys/test-supp/import", data=csv_of(rows),
                  headers={"Content-Type": "text/csv"}).status_code == 200
    ind = requests.get(server.url + "/api/v1/surveys/test-supp/indicators").json()
    hidden_total = 0
    for item in ind["items"]:
        o = item["overall"]
        for bd, cells in item["breakdowns"].items():
            hid = [c for c in cells if c["suppressed"]]
            if not hid:
                continue
            hidden_total += len(hid)
            assert len(hid) >= 2, (item["code"], bd)
            # unknowns: agree_k, disagree_k for each hidden group
            A = sum(c["agree"] for c in cells if not c["suppressed"])
            N = sum(c["n"] for c in cells if not c["suppressed"])
            k = len(hid)
            aeq = [[1] * k + [0] * k, [0] * k + [1] * k]
            beq = [o["agree"] - A, (o["n"] - o["agree"]) - (N - A)]
            for v in range(2 * k):
                lo = linprog([1 if i == v else 0 for i in range(2 * k)], A_eq=aeq, b_eq=beq, bounds=(0, None))
                hi = linprog([-1 if i == v else 0 for i in range(2 * k)], A_eq=aeq, b_eq=beq, bounds=(0, None))
                assert hi.status == 0 and lo.status == 0
                assert -hi.fun - lo.fun >= 1 - 1e-9, (item["code"], bd, v)
            # the group sizes too: n_k = agree_k + disagree_k
            for g in range(k):
                c = [0] * (2 * k)
                c[g] = c[k + g] = 1
                lo = linprog(c, A_eq=aeq, b_eq=beq, bounds=(0, None))
                hi = linprog([-x for x in c], A_eq=aeq, b_eq=beq, bounds=(0, None))
                assert -hi.fun - lo.fun >= 1 - 1e-9
    assert hidden_total > 0  # the data has small groups


def test_csv_with_bad_rows_stores_nothing(server):
    s = make_wave(server, "test-bad", "badshire")
    text = ("ethnicity,fair,good_job\n"
            "indian,5,4\n"
            "martian,4,4\n"
            "indian,7,4\n"
            "indian,,\n"
            "indian,4\n")
    r = s.post(server.url + "/api/v1/surveys/test-bad/import", data=text,
               headers={"Content-Type": "text/csv"})
    assert r.status_code == 422, r.text
    rep = r.json()["report"]
    got = {(x["line"], x["column"]) for x in rep["rejected"]}
    assert got == {(3, "ethnicity"), (4, "fair"), (5, ""), (6, "")}, rep
    assert rep["imported"] == 0
    w = requests.get(server.url + "/api/v1/surveys/test-bad").json()
    assert w["responses"] == 0
    # skip_invalid imports the good row only; a header error names the column
    r = s.post(server.url + "/api/v1/surveys/test-bad/import?skip_invalid=1", data=text,
               headers={"Content-Type": "text/csv"})
    assert r.status_code == 200 and r.json()["imported"] == 1
    r = s.post(server.url + "/api/v1/surveys/test-bad/import", data="colour,fair\nred,4\n",
               headers={"Content-Type": "text/csv"})
    assert r.status_code == 422 and error_of(r)["field"] == "colour"
    # refs make a re-import refuse duplicates
    t2 = "ref,fair\na1,4\na2,5\n"
    assert s.post(server.url + "/api/v1/surveys/test-bad/import", data=t2, headers={"Content-Type": "text/csv"}).status_code == 200
    r = s.post(server.url + "/api/v1/surveys/test-bad/import", data=t2, headers={"Content-Type": "text/csv"})
    assert r.status_code == 422 and {x["column"] for x in r.json()["report"]["rejected"]} == {"ref"}
    assert requests.get(server.url + "/api/v1/surveys/test-bad").json()["responses"] == 3


def test_anonymous_answer_once_per_browser(server):
    make_wave(server, "test-answer", "answershire")
    u = server.url + "/api/v1/surveys/test-answer/responses"
    r = requests.post(u, json={"answers": {"fair": 9}})
    assert r.status_code == 422 and error_of(r)["field"] == "answers.fair"
    r = requests.post(u, json={"answers": {"colour": 3}})
    assert r.status_code == 422 and error_of(r)["field"] == "answers.colour"
    r = requests.post(u, json={"answers": {}})
    assert r.status_code == 422 and error_of(r)["field"] == "answers"
    r = requests.post(u, json={"answers": {"fair": 4}, "ethnicity": "martian"})
    assert r.status_code == 422 and error_of(r)["field"] == "ethnicity"
    assert requests.get(server.url + "/api/v1/surveys/test-answer").json()["responses"] == 0
    b = requests.Session()
    r = b.post(u, json={"answers": {"fair": 4, "good_job": 0}, "ethnicity": "indian"})
    assert r.status_code == 201 and r.json()["responses"] == 1
    r = b.post(u, json={"answers": {"fair": 2}})
    assert r.status_code == 409
    assert requests.get(server.url + "/api/v1/surveys/test-answer").json()["responses"] == 1


def test_wave_permissions_and_dates(server):
    body = {"slug": "x-wave", "title": "X", "area": "leicester", "org": "leicestershire-opcc",
            "opens_at": "2026-01-01T00:00:00Z", "closes_at": "2026-02-01T00:00:00Z"}
    r = server.bearer("t-officer@test.example").post(server.url + "/api/v1/surveys", json=body)
    assert r.status_code == 403
    s = server.bearer("t-overseer@test.example")
    r = s.post(server.url + "/api/v1/surveys", json=dict(body, closes_at="2025-01-01T00:00:00Z"))
    assert r.status_code == 422 and error_of(r)["field"] == "closes_at"
    assert s.post(server.url + "/api/v1/surveys", json=body).status_code == 201
    # closed: answers refused
    r = requests.post(server.url + "/api/v1/surveys/x-wave/responses", json={"answers": {"fair": 4}})
    assert r.status_code == 409


def test_demo_waves_and_csv_export(server):
    waves = requests.get(server.url + "/api/v1/surveys").json()["waves"]
    assert {"leicester-2025", "leicester-2026", "antwerpen-2025", "antwerpen-2026"} <= {w["slug"] for w in waves}
    ind = requests.get(server.url + "/api/v1/surveys/leicester-2026/indicators").json()
    assert ind["weighting"]["weighted"] is True
    r = requests.get(server.url + "/api/v1/surveys/leicester-2026/indicators.csv")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/csv")
    assert r.text.startswith("wave,item,breakdown,group,label,n,agree,percent_agree")
    html = requests.get(server.url + "/surveys/leicester-2026/results").text
    assert 'id="fair-ethnicity-indian"' in html


def test_min_cell_setting(server):
    s = server.bearer("t-admin@test.example")
    assert s.put(server.url + "/api/v1/trust/settings", json={"min_cell": 1}).status_code == 422
    assert server.bearer("t-officer@test.example").put(server.url + "/api/v1/trust/settings", json={"min_cell": 20}).status_code == 403
    assert s.put(server.url + "/api/v1/trust/settings", json={"min_cell": 10}).json()["min_cell"] == 10
