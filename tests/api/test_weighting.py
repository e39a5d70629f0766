"""The weighted indicators against an independent computation: respondents
raked to the area's population margins in Python (numpy), then weighted
percent agreeing, Kish's effective sample size, Wilson intervals on it,
gaps and two-proportion tests (scipy), compared with the server's figures
for every published cell. The rules are those of docs/trust.md: people who
did not state a characteristic, or chose a category the baseline lacks,
form one group kept at its sample share; baseline categories nobody chose
are left out."""
import csv
import io
import random

import numpy as np
import pytest
import requests
from scipy.stats import norm

ITEMS = ["relied_on", "fair", "listen", "matters", "informed", "good_job"]
DIMS = ["ethnicity", "religion", "sex", "age"]  # the server's order
Z = norm.ppf(0.975)

BASELINE = {
    "ethnicity": {"white-british": 0.50, "indian": 0.25, "black-caribbean": 0.10,
                  "pakistani": 0.10, "not-stated": 0.05},
    "sex": {"female": 0.52, "male": 0.48},
    "age": {"16-24": 0.20, "25-34": 0.20, "35-44": 0.20, "45-54": 0.15, "55-64": 0.10, "65+": 0.15},
}


def pick(rnd, choices):
    u = rnd.random() * sum(w for _, w in choices)
    for v, w in choices:
        if u < w:
            return v
        u -= w
    return choices[-1][0]


def make_rows(n, seed):
    """Respondents unlike the population (older, whiter, more men), whose
    trust differs by community and age, so that weighting matters."""
    rnd = random.Random(seed)
    eth = [("white-british", 60), ("indian", 18), ("black-caribbean", 8), ("arab", 4), ("", 10)]
    trust_eth = {"white-british": 0.72, "indian": 0.62, "black-caribbean": 0.30, "arab": 0.45, "": 0.5}
    age = [("16-24", 5), ("25-34", 10), ("35-44", 15), ("45-54", 20), ("55-64", 20), ("65+", 25), ("", 5)]
    trust_age = {"16-24": -0.2, "25-34": -0.1, "35-44": 0.0, "45-54": 0.05, "55-64": 0.1, "65+": 0.15, "": 0}
    rows = []
    for _ in range(n):
        e = pick(rnd, eth)
        s = pick(rnd, [("female", 38), ("male", 55), ("other", 2), ("", 5)])
        a = pick(rnd, age)
        rel = pick(rnd, [("christian", 40), ("muslim", 15), ("hindu", 10), ("none", 30), ("", 5)])
        ans = []
        for j in range(len(ITEMS)):
            p = min(0.95, max(0.05, trust_eth[e] + trust_age[a] + 0.03 * j))
            u = rnd.random()
            if u < 0.06:
                ans.append("0")
            elif u < 0.1:
                ans.append("")
            else:
                ans.append(str(rnd.choice([4, 5]) if rnd.random() < p else rnd.choice([1, 2, 3])))
        rows.append({"ethnicity": e, "religion": rel, "sex": s, "age": a, "answers": ans})
    return rows


def to_csv(rows):
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["ethnicity", "religion", "sex", "age"] + ITEMS)
    for r in rows:
        w.writerow([r["ethnicity"], r["religion"], r["sex"], r["age"]] + r["answers"])
    return out.getvalue()


def code_of(v):
    return v if v else "not-stated"


def rake(rows, baseline, tol=1e-13, max_iter=10000):
    """Iterative proportional fitting over the respondents, one margin per
    baseline dimension; returns the weights, the margins used and the
    baseline categories left out."""
    n = len(rows)
    w = np.ones(n)
    margins, used, left_out = [], [], []
    for d in DIMS:
        if d not in baseline:
            continue
        shares = baseline[d]
        codes = np.array([code_of(r[d]) for r in rows])
        present = set(codes)
        own = [c for c in shares if c != "not-stated" and shares[c] > 0 and c in present]
        left_out += [{"dimension": d, "category": c} for c in shares
                     if c != "not-stated" and shares[c] > 0 and c not in present]
        if len(own) < 2:
            continue
        S = sum(shares[c] for c in own)
        in_own = np.isin(codes, own)
        bucket = int((~in_own).sum())
        groups = [(codes == c, shares[c] / S * (n - bucket)) for c in own]
        if bucket:
            groups.append((~in_own, float(bucket)))
        margins.append(groups)
        used.append(d)
    for _ in range(max_iter):
        for groups in margins:
            for mask, target in groups:
                w[mask] *= target / w[mask].sum()
        dev = max(abs(w[mask].sum() - t) for groups in margins for mask, t in groups)
        if dev < tol * n:
            break
    else:
        raise AssertionError("raking did not converge")
    return w, used, left_out


def wilson(p, n):
    d = 1 + Z * Z / n
    c = p + Z * Z / (2 * n)
    h = Z * np.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n))
    return (c - h) / d, (c + h) / d


def summary(w, yes):
    sw, sw2, swy = w.sum(), (w * w).sum(), (w * yes).sum()
    p = swy / sw
    neff = sw * sw / sw2
    lo, hi = wilson(p, neff)
    return {"p": p, "n_eff": neff, "lo": lo, "hi": hi, "sw": sw, "sw2": sw2, "swy": swy}


def two_prop_p(p1, n1, p2, n2):
    pp = (p1 * n1 + p2 * n2) / (n1 + n2)
    se = np.sqrt(pp * (1 - pp) * (1 / n1 + 1 / n2))
    return 1.0 if se == 0 else 2 * norm.sf(abs(p1 - p2) / se)


@pytest.fixture(scope="module")
def raked(server):
    s = server.bearer("t-admin@test.example")
    r = s.post(server.url + "/api/v1/areas", json={"slug": "rakeshire", "name": "Rakeshire",
                                                   "kind": "force_area"})
    assert r.status_code == 201, r.text
    r = s.put(server.url + "/api/v1/areas/rakeshire/population/2021",
              json={"source": "Test census", "margins": BASELINE})
    assert r.status_code == 200, r.text
    r = s.post(server.url + "/api/v1/surveys", json={
        "slug": "rake-wave", "title": "Raking", "area": "rakeshire", "org": "leicestershire-opcc",
        "opens_at": "2020-01-01T00:00:00Z", "closes_at": "2099-01-01T00:00:00Z"})
    assert r.status_code == 201, r.text
    rows = make_rows(1800, 2024)
    r = s.post(server.url + "/api/v1/surveys/rake-wave/import", data=to_csv(rows),
               headers={"Content-Type": "text/csv"})
    assert r.status_code == 200 and r.json()["imported"] == len(rows), r.text
    ind = requests.get(server.url + "/api/v1/surveys/rake-wave/indicators").json()
    return rows, ind


def test_weighting_description(raked):
    rows, ind = raked
    w, used, left_out = rake(rows, BASELINE)
    wi = ind["weighting"]
    assert wi["weighted"] is True
    assert wi["margins"] == used == ["ethnicity", "sex", "age"]
    assert wi["left_out"] == left_out == [{"dimension": "ethnicity", "category": "pakistani"}]
    assert wi["baseline"] == {"area": "rakeshire", "year": 2021, "demo": False}
    # the raked weights meet the margins: stated sexes in the population's
    # proportions, the unstated kept at their sample share
    sex = np.array([r["sex"] for r in rows])
    in_base = np.isin(sex, ["female", "male"])
    assert w[~in_base].sum() == pytest.approx((~in_base).sum())
    assert w[sex == "female"].sum() / w[in_base].sum() == pytest.approx(0.52)


def test_weighted_indicators_match_python(raked):
    rows, ind = raked
    w, _, _ = rake(rows, BASELINE)
    min_cell = ind["min_cell"]
    checked = 0
    moved = 0.0
    for j, code in enumerate(ITEMS):
        item = next(i for i in ind["items"] if i["code"] == code)
        ans = np.array([r["answers"][j] for r in rows])
        answered = np.isin(ans, ["1", "2", "3", "4", "5"])
        yes = np.isin(ans, ["4", "5"]).astype(float)
        all_ = summary(w[answered], yes[answered])
        o = item["overall"]
        assert o["n"] == answered.sum() and o["agree"] == yes[answered].sum()
        for k in ("p", "lo", "hi"):
            assert o[k] == pytest.approx(all_[k], abs=2e-6), (code, k)
        assert o["n_eff"] == pytest.approx(all_["n_eff"], abs=2e-3)
        assert all_["n_eff"] < answered.sum() - 50  # weighting costs precision
        moved = max(moved, abs(all_["p"] - yes[answered].mean()))
        for d in DIMS:
            codes = np.array([code_of(r[d]) for r in rows])
            cells = item["breakdowns"][d]
            assert {c["group"] for c in cells} == set(codes)
            for cell in cells:
                g = (codes == cell["group"]) & answered
                if cell["suppressed"]:
                    continue
                assert cell["n"] == g.sum() and cell["n"] >= min_cell
                assert cell["agree"] == yes[g].sum()
                mine = summary(w[g], yes[g])
                for k in ("p", "lo", "hi"):
                    assert cell[k] == pytest.approx(mine[k], abs=2e-6), (code, d, cell["group"], k)
                assert cell["n_eff"] == pytest.approx(mine["n_eff"], abs=2e-3)
                assert cell["gap"] == pytest.approx(mine["p"] - all_["p"], abs=3e-6)
                rest = (~(codes == cell["group"])) & answered
                other = summary(w[rest], yes[rest])
                pv = two_prop_p(mine["p"], mine["n_eff"], other["p"], other["n_eff"])
                assert cell["p_value"] == pytest.approx(pv, abs=2e-6)
                assert cell["significant"] == (pv < 0.05)
                checked += 1
    assert checked > 100
    assert moved > 0.02  # the weights change the figures: the test has teeth


def test_csv_export_has_the_weighted_figures(server, raked):
    _, ind = raked
    text = requests.get(server.url + "/api/v1/surveys/rake-wave/indicators.csv").text
    rows = list(csv.DictReader(io.StringIO(text)))
    for item in ind["items"]:
        (row,) = [r for r in rows if r["item"] == item["code"] and r["breakdown"] == "overall"]
        assert float(row["percent_agree"]) == pytest.approx(item["overall"]["p"] * 100, abs=0.006)
        assert float(row["n_eff"]) == pytest.approx(item["overall"]["n_eff"], abs=0.06)
