"""Population baselines and workforce figures: what is refused (margins or
shares that do not sum, workforce dimensions that disagree, bad CSV rows)
stores nothing; who may enter figures; and the representation ratios, rank
bands and years to parity against an independent computation in Python."""
import math

import pytest
import requests

from harness import error_of

Z95 = 1.959963984540054
POP = {"ethnicity": {"white-british": 0.57, "indian": 0.28, "black-african": 0.10, "not-stated": 0.05},
       "sex": {"female": 0.51, "male": 0.49}}

# (category, headcount, joiners, leavers) by dimension; every dimension
# counts the same 1000 staff, 100 joiners and 97 leavers. At these rates the
# ethnic groups reach parity within 50 years, women do not.
Y2025 = {"ethnicity": [("white-british", 900, 45, 90), ("indian", 60, 40, 4),
                       ("black-african", 20, 15, 1), ("not-stated", 20, 0, 2)],
         "sex": [("female", 350, 44, 30), ("male", 650, 56, 67)]}
Y2024 = {"ethnicity": [("white-british", 910, 50, 72), ("indian", 33, 20, 2),
                       ("black-african", 11, 8, 1), ("not-stated", 22, 2, 1)],
         "sex": [("female", 335, 40, 28), ("male", 641, 40, 48)]}
# 2025's ethnicity again, by rank band (the sums per category are Y2025's)
BANDS = [("Constable", "white-british", 700, 45, 60), ("Constable", "indian", 50, 40, 2),
         ("Constable", "black-african", 18, 15, 1), ("Constable", "not-stated", 12, 0, 1),
         ("Sergeant", "white-british", 150, 0, 20), ("Sergeant", "indian", 8, 0, 2),
         ("Sergeant", "black-african", 2, 0, 0), ("Sergeant", "not-stated", 5, 0, 1),
         ("Inspector and above", "white-british", 50, 0, 10), ("Inspector and above", "indian", 2, 0, 0),
         ("Inspector and above", "black-african", 0, 0, 0), ("Inspector and above", "not-stated", 3, 0, 0)]


def figures(year_data):
    return [{"dimension": d, "category": c, "headcount": h, "joiners": j, "leavers": l}
            for d, rows in year_data.items() for c, h, j, l in rows]


def banded_2025():
    f = [{"dimension": "ethnicity", "category": c, "rank_band": b, "headcount": h, "joiners": j,
          "leavers": l} for b, c, h, j, l in BANDS]
    return f + figures({"sex": Y2025["sex"]})


@pytest.fixture(scope="module")
def repr_org(server):
    admin = server.bearer("t-admin@test.example")
    r = admin.post(server.url + "/api/v1/areas", json={"slug": "reprshire", "name": "Reprshire",
                                                       "kind": "force_area"})
    assert r.status_code == 201, r.text
    r = admin.post(server.url + "/api/v1/orgs", json={"slug": "repr-police", "name": "Repr Police",
                                                      "kind": "police", "areas": ["reprshire"]})
    assert r.status_code == 201, r.text
    server.user("t-repr-sup@test.example", "supervisor", "repr-police")
    r = admin.put(server.url + "/api/v1/areas/reprshire/population/2021",
                  json={"source": "Test census", "margins": POP})
    assert r.status_code == 200, r.text
    sup = server.bearer("t-repr-sup@test.example")
    for year, data in [(2024, Y2024), (2025, Y2025)]:
        r = sup.put(server.url + f"/api/v1/orgs/repr-police/workforce/{year}",
                    json={"source": "HR", "figures": figures(data)})
        assert r.status_code == 200, r.text
    return admin


def baselines(server, area="reprshire"):
    return requests.get(server.url + f"/api/v1/areas/{area}/population").json()["baselines"]


def periods(server, org="repr-police"):
    return requests.get(server.url + f"/api/v1/orgs/{org}/workforce").json()["periods"]


# --- population baselines ----------------------------------------------------

@pytest.mark.parametrize("body,field", [
    ({"margins": {"sex": {"female": 0.5, "male": 0.4}}}, "margins.sex"),
    ({"margins": {"sex": {"female": 0.6, "male": 0.6}}}, "margins.sex"),
    ({"margins": {"sex": {"female": 0.5, "male": 0.5}, "age": {"16-24": 0.3, "65+": 0.5}}}, "margins.age"),
    ({"margins": {"sex": {"female": 1.5}}}, "margins.sex.female"),
    ({"margins": {"sex": {"female": -0.1, "male": 1.1}}}, "margins.sex.female"),
    ({"margins": {"sex": {"female": "half", "male": 0.5}}}, "margins.sex.female"),
    ({"margins": {"sex": {"alien": 0.5, "male": 0.5}}}, "margins.sex.alien"),
    ({"margins": {"colour": {"red": 1}}}, "margins.colour"),
    ({"margins": {}}, "margins"),
    ({"unit": "count", "margins": {"sex": {"female": 500, "male": 500},
                                   "age": {"16-24": 700, "65+": 700}}}, "margins.age"),
    ({"unit": "count", "margins": {"sex": {"female": 0, "male": 0}}}, "margins.sex"),
    ({"unit": "percent", "margins": {"sex": {"female": 50, "male": 50}}}, "unit"),
])
def test_margins_that_do_not_sum_are_refused_and_store_nothing(server, repr_org, body, field):
    before = baselines(server)
    for year in (2021, 2022):  # replacing the baseline, or adding one
        r = repr_org.put(server.url + f"/api/v1/areas/reprshire/population/{year}",
                         json=dict(body, source="Test census"))
        assert r.status_code == 422, r.text
        assert error_of(r)["field"] == field
    assert baselines(server) == before


def test_counts_within_one_percent_are_stored_as_shares(server, repr_org):
    r = repr_org.put(server.url + "/api/v1/areas/reprshire/population/2011",
                     json={"source": "Old census", "unit": "count",
                           "margins": {"sex": {"female": 5050, "male": 4950},
                                       "age": {"16-24": 3000, "65+": 7050}}})
    assert r.status_code == 200, r.text
    (b,) = [b for b in r.json()["baselines"] if b["year"] == 2011]
    assert b["total"] == 10000
    assert {m["code"]: m["share"] for m in b["margins"]["age"]} == pytest.approx(
        {"16-24": 3000 / 10050, "65+": 7050 / 10050}, abs=1e-9)
    # the newest baseline (2021) is still the one used
    rep = requests.get(server.url + "/api/v1/orgs/repr-police/representation").json()
    assert rep["population"]["year"] == 2021


def test_population_csv_with_bad_rows_stores_nothing(server, repr_org):
    before = baselines(server)
    u = server.url + "/api/v1/areas/reprshire/population/2021?source=CSV%20census"
    csv = {"Content-Type": "text/csv"}
    cases = [
        ("dimension,category,value\nsex,female,0.5\nsex,male,lots\n", "value", "line 3, column value"),
        ("dimension,category,value\nsex,female,0.5\nsex,male,0.3\n", "margins.sex", "add up to 0.8000"),
        ("dimension,category,value\nsex,female,0.5\nsex,female,0.5\n", "category", "line 3, column category"),
        ("dimension,category,value\nsex,female,0.5\ncolour,red,0.5\n", "dimension", "line 3, column dimension"),
        ("dimension,category,value\nsex,female,0.5\nsex,male\n", "csv", "line 3"),
        ("dimension,category,amount\nsex,female,0.5\n", "amount", "unknown column"),
        ("dimension,category,value\nsex,female,0.5,9\n", "csv", "line 2"),
    ]
    for text, field, msg in cases:
        r = repr_org.put(u, data=text, headers=csv)
        assert r.status_code == 422, (text, r.text)
        err = error_of(r)
        assert err["field"] == field and msg in err["message"], (text, err)
    assert baselines(server) == before
    r = repr_org.put(u, data="dimension,category,value\nsex,female,0.51\nsex,male,0.49\n", headers=csv)
    assert r.status_code == 200
    r = repr_org.put(server.url + "/api/v1/areas/reprshire/population/2021",
                     json={"source": "Test census", "margins": POP})
    assert r.status_code == 200


def test_who_may_enter_population(server, repr_org):
    body = {"source": "Test census", "margins": POP}
    u = server.url + "/api/v1/areas/reprshire/population/2021"
    assert requests.put(u, json=body).status_code == 401
    for who in ["t-resident@test.example", "t-member@test.example", "t-orgadmin@test.example",
                "t-officer@test.example", "t-supervisor@test.example", "t-repr-sup@test.example",
                "t-overseer@test.example"]:
        assert server.bearer(who).put(u, json=body).status_code == 403, who
    assert repr_org.put(u, json=body).status_code == 200
    assert repr_org.put(server.url + "/api/v1/areas/nowhere/population/2021", json=body).status_code == 404
    assert repr_org.put(server.url + "/api/v1/areas/reprshire/population/1066", json=body).status_code == 404
    # reading is public
    assert requests.get(server.url + "/api/v1/areas/reprshire/population").status_code == 200


# --- workforce ---------------------------------------------------------------

def test_workforce_totals_that_disagree_are_refused(server, repr_org):
    sup = server.bearer("t-repr-sup@test.example")
    before = periods(server)
    u = server.url + "/api/v1/orgs/repr-police/workforce/"

    def put(year, figs):
        return sup.put(u + str(year), json={"source": "HR", "figures": figs})

    def change(data, dim, i, **kw):
        f = figures(data)
        idx = [k for k, x in enumerate(f) if x["dimension"] == dim][i]
        f[idx].update(kw)
        return f

    cases = [
        (change(Y2025, "sex", 0, headcount=351), "figures", "the sex rows add up to 1001 headcount but the ethnicity rows to 1000"),
        (change(Y2025, "sex", 1, joiners=57), "figures", "add up to 101 joiners"),
        (change(Y2025, "ethnicity", 3, leavers=3), "figures", "the sex rows add up to 97 leavers but the ethnicity rows to 98"),
        (change(Y2025, "sex", 0, joiners=400), "figures[4].joiners", "exceeds"),
        (change(Y2025, "sex", 1, headcount=-5), "figures[5].headcount", "whole number"),
        (change(Y2025, "sex", 1, headcount=5.5), "figures[5].headcount", "whole number"),
        (change(Y2025, "ethnicity", 0, category="martian"), "figures[0].category", "not a category"),
        (change(Y2025, "ethnicity", 0, dimension="colour"), "figures[0].dimension", "ethnicity"),
        (change(Y2025, "ethnicity", 0, rank_band="Constable"), "figures", "rank_band"),
        (change(Y2025, "ethnicity", 1, category="white-british"), "figures[1]", "repeats"),
        (figures(Y2025) + [{"dimension": "sex", "category": "other", "headcount": 1}], "figures", "headcount"),
        ([], "figures", "list"),
    ]
    for figs, field, msg in cases:
        for year in (2025, 2026):
            r = put(year, figs)
            assert r.status_code == 422, (field, r.text)
            err = error_of(r)
            assert err["field"] == field and msg in err["message"], err
    assert periods(server) == before


def test_workforce_csv_with_bad_rows_stores_nothing(server, repr_org):
    sup = server.bearer("t-repr-sup@test.example")
    before = periods(server)
    u = server.url + "/api/v1/orgs/repr-police/workforce/2026?source=HR"
    csv = {"Content-Type": "text/csv"}
    head = "dimension,category,headcount,joiners,leavers\n"
    good = head + "sex,female,40,4,2\nsex,male,60,6,3\n"
    cases = [
        (good.replace("60,6,3", "sixty,6,3"), "headcount", "line 3, column headcount"),
        (good.replace("60,6,3", "60,6.5,3"), "joiners", "line 3, column joiners"),
        (good.replace("sex,male", "sex,martian"), "category", "line 3, column category"),
        (good.replace("40,4,2", "4,40,2"), "joiners", "line 2, column joiners"),
        (good + "ethnicity,indian,100,10,4\n", "figures", "leavers"),
        ("dimension,category,joiners\nsex,female,4\n", "headcount", "missing"),
        (good + "sex,other,1,0\n", "csv", "line 4"),
    ]
    for text, field, msg in cases:
        r = sup.put(u, data=text, headers=csv)
        assert r.status_code == 422, (text, r.text)
        err = error_of(r)
        assert err["field"] == field and msg in err["message"], (text, err)
    assert periods(server) == before


def test_who_may_enter_workforce(server, repr_org):
    body = {"source": "HR", "figures": figures(Y2025)}
    u = server.url + "/api/v1/orgs/repr-police/workforce/2025"
    assert requests.put(u, json=body).status_code == 401
    # the supervisor of another force, and everyone else below admin
    for who in ["t-resident@test.example", "t-member@test.example", "t-orgadmin@test.example",
                "t-officer@test.example", "t-supervisor@test.example", "t-overseer@test.example"]:
        assert server.bearer(who).put(u, json=body).status_code == 403, who
    assert server.bearer("t-repr-sup@test.example").put(u, json=body).status_code == 200
    assert repr_org.put(u, json=body).status_code == 200
    # a supervisor of repr-police may not enter leicestershire-police's
    r = server.bearer("t-repr-sup@test.example").put(
        server.url + "/api/v1/orgs/leicestershire-police/workforce/2025", json=body)
    assert r.status_code == 403
    # figures are for police organisations only
    r = repr_org.put(server.url + "/api/v1/orgs/st-philips-centre/workforce/2025", json=body)
    assert r.status_code == 422 and error_of(r)["field"] == "slug"
    assert repr_org.put(server.url + "/api/v1/orgs/no-such-org/workforce/2025", json=body).status_code == 404
    # reading is public
    assert requests.get(server.url + "/api/v1/orgs/repr-police/workforce").status_code == 200
    assert requests.get(server.url + "/api/v1/orgs/repr-police/representation").status_code == 200


# --- representation against Python -------------------------------------------

def wilson(x, n, z=Z95):
    p = x / n
    d = 1 + z * z / n
    c = p + z * z / (2 * n)
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (c - h) / d, (c + h) / d


def stated_pop(dim):
    s = {k: v for k, v in POP[dim].items() if k != "not-stated"}
    t = sum(s.values())
    return {k: v / t for k, v in s.items()}


def check_ratios(groups, counts, dim):
    ps = stated_pop(dim)
    stated = sum(n for c, n in counts.items() if c != "not-stated")
    assert {g["code"] for g in groups} == {c for c in counts if c != "not-stated"}
    for g in groups:
        n = counts[g["code"]]
        lo, hi = wilson(n, stated)
        assert g["staff_share"] == pytest.approx(n / stated, abs=1e-6)
        assert g["pop_share"] == pytest.approx(ps[g["code"]], abs=1e-6)
        assert g["ratio"] == pytest.approx(n / stated / ps[g["code"]], abs=1e-4)
        assert g["lo"] == pytest.approx(lo / ps[g["code"]], abs=1e-4)
        assert g["hi"] == pytest.approx(hi / ps[g["code"]], abs=1e-4)


def project(rows, dim, horizon=50, tol=0.005):
    """Years to parity by stock and flow, written from the documented model:
    h' = h - leave_rate h + J join_share, J = this year's stated joiners,
    leave_rate = leavers / staff at the start of the year."""
    ps = stated_pop(dim)
    rows = [r for r in rows if r[0] != "not-stated"]
    J = sum(j for _, _, j, _ in rows)
    h = {c: float(n) for c, n, _, _ in rows}
    lr = {c: min(1.0, l / (n - j + l)) if n - j + l > 0 else 0.0 for c, n, j, l in rows}
    js = {c: j / J for c, _, j, _ in rows}
    share = [{c: v / sum(h.values()) for c, v in h.items()}]
    for _ in range(horizon):
        h = {c: h[c] - lr[c] * h[c] + J * js[c] for c in h}
        share.append({c: v / sum(h.values()) for c, v in h.items()})
    out = {}
    for c in ps:
        d0 = share[0][c] - ps[c]
        years = None
        for t, s in enumerate(share):
            d = s[c] - ps[c]
            if abs(d) <= tol or d * d0 < 0:
                years = t
                break
        star = {k: J * js[k] / lr[k] for k in h}
        out[c] = (years, share[0][c], star[c] / sum(star.values()))
    return out


def test_representation_ratio_and_years_to_parity_match_python(server, repr_org):
    rep = requests.get(server.url + "/api/v1/orgs/repr-police/representation").json()
    assert rep["population"] == {"area": "reprshire", "year": 2021, "demo": False}
    assert [p["year"] for p in rep["periods"]] == [2025, 2024]
    for p, data in zip(rep["periods"], [Y2025, Y2024]):
        for dim in ("ethnicity", "sex"):
            counts = {c: n for c, n, _, _ in data[dim]}
            d = p["dimensions"][dim]
            assert d["headcount"] == sum(counts.values())
            assert d["stated"] == sum(n for c, n in counts.items() if c != "not-stated")
            check_ratios(d["groups"], counts, dim)
            for g in d["groups"]:
                assert g["anchor"] == f"{p['year']}-{dim}-{g['code']}"
    par = rep["parity"]
    assert par["year"] == 2025 and par["horizon"] == 50 and par["tolerance"] == 0.005
    seen_never = seen_years = False
    for dim in ("ethnicity", "sex"):
        want = project(Y2025[dim], dim)
        got = {g["code"]: g for g in par["dimensions"][dim]}
        assert set(got) == set(want)
        for code, (years, now, limit) in want.items():
            g = got[code]
            assert g["years"] == years, (dim, code, g, years)
            assert g["share_now"] == pytest.approx(now, abs=1e-6)
            assert g["share_limit"] == pytest.approx(limit, abs=1e-6)
            assert g["anchor"] == f"parity-{dim}-{code}"
            seen_never |= years is None
            seen_years |= years is not None and years > 0
    assert seen_years and seen_never  # both outcomes are exercised
    html = requests.get(server.url + "/representation/repr-police").text
    assert 'id="2025-ethnicity-indian"' in html and 'id="parity-sex-female"' in html
    # every figure can be cited by link: each anchor of the API is an id on the page
    anchors = [g["anchor"] for p in rep["periods"] for d in p["dimensions"].values() for g in d["groups"]]
    anchors += [g["anchor"] for d in par["dimensions"].values() for g in d]
    assert "2024-sex-male" in anchors
    for a in anchors:
        assert html.count(f'id="{a}"') == 1, a
    r = rep["periods"][0]["dimensions"]["ethnicity"]["groups"]
    indian = next(g for g in r if g["code"] == "indian")
    assert f"{indian['ratio']:.2f} ({indian['lo']:.2f}" in html


def test_rank_bands(server, repr_org):
    sup = server.bearer("t-repr-sup@test.example")
    u = server.url + "/api/v1/orgs/repr-police/workforce/2025"
    r = sup.put(u, json={"source": "HR by rank", "figures": banded_2025()})
    assert r.status_code == 200, r.text
    try:
        rep = requests.get(server.url + "/api/v1/orgs/repr-police/representation").json()
        # the whole workforce's figures are the sums over the bands
        counts = {c: n for c, n, _, _ in Y2025["ethnicity"]}
        check_ratios(rep["periods"][0]["dimensions"]["ethnicity"]["groups"], counts, "ethnicity")
        assert {g["code"]: g["years"] for g in rep["parity"]["dimensions"]["ethnicity"]} == \
            {c: y for c, (y, _, _) in project(Y2025["ethnicity"], "ethnicity").items()}
        rb = rep["rank_bands"]
        assert rb["year"] == 2025 and set(rb["dimensions"]) == {"ethnicity"}
        bands = rb["dimensions"]["ethnicity"]
        assert [b["band"] for b in bands] == ["Constable", "Sergeant", "Inspector and above"]
        for b in bands:
            rows = {c: n for band, c, n, _, _ in BANDS if band == b["band"]}
            assert b["headcount"] == sum(rows.values())
            stated = sum(n for c, n in rows.items() if c != "not-stated")
            assert b["stated"] == stated
            ps = stated_pop("ethnicity")
            for g in b["groups"]:
                n = rows[g["code"]]
                assert g["headcount"] == n
                assert g["staff_share"] == pytest.approx(n / stated, abs=1e-6)
                assert g["ratio"] == pytest.approx(n / stated / ps[g["code"]], abs=1e-4)
                lo, hi = wilson(n, stated)
                assert g["lo"] == pytest.approx(lo / ps[g["code"]], abs=1e-4)
                assert g["anchor"] == f"band-2025-ethnicity-{b['band'].lower().replace(' ', '-')}-{g['code']}"
        html = requests.get(server.url + "/representation/repr-police").text
        assert 'id="band-2025-ethnicity-inspector-and-above-black-african"' in html
        assert ">Sergeant</th>" in html
        fr = requests.get(server.url + "/representation/repr-police?lang=fr").text
        assert ": par grade, 2025</caption>" in fr
        # mixing banded and unbanded rows within a dimension is refused
        mixed = banded_2025()
        mixed[0].pop("rank_band")
        r = sup.put(u, json={"source": "HR", "figures": mixed})
        assert r.status_code == 422 and "rank_band" in error_of(r)["message"]
    finally:
        r = sup.put(u, json={"source": "HR", "figures": figures(Y2025)})
        assert r.status_code == 200
    rep = requests.get(server.url + "/api/v1/orgs/repr-police/representation").json()
    assert rep["rank_bands"]["dimensions"] == {}
