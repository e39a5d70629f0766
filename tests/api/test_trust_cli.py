"""consent survey import, consent population import and consent workforce
import: the same checks and reports as the API's imports, from the shell,
and nothing stored when a file is refused or on a dry run."""
import json

import requests

from harness import run_cli

ITEMS = ["relied_on", "fair", "listen", "matters", "informed", "good_job"]

BAD = ("ethnicity,fair,good_job\n"
       "indian,5,4\n"
       "martian,4,4\n"
       "indian,7,4\n"
       "indian,,\n"
       "indian,4\n"
       "white-british,dk,1\n")


def wave(server, slug, area):
    s = server.bearer("t-admin@test.example")
    s.post(server.url + "/api/v1/areas", json={"slug": area, "name": area.title(), "kind": "force_area"})
    r = s.post(server.url + "/api/v1/surveys", json={
        "slug": slug, "title": "CLI " + slug, "area": area, "org": "leicestershire-opcc",
        "opens_at": "2020-01-01T00:00:00Z", "closes_at": "2099-01-01T00:00:00Z"})
    assert r.status_code == 201, r.text
    return s


def responses(server, slug):
    return requests.get(server.url + f"/api/v1/surveys/{slug}").json()["responses"]


def cli(server, *args, stdin=None):
    return run_cli(*args, "--db", server.db.dsn, stdin=stdin, check=False)


def test_survey_import_refuses_bad_rows_and_stores_nothing(server, tmp_path):
    wave(server, "cli-bad", "clishire")
    f = tmp_path / "bad.csv"
    f.write_text(BAD)
    p = cli(server, "survey", "import", "--wave", "cli-bad", str(f))
    assert p.returncode == 1, p.stderr
    # every rejected row is named with its line and column, then the outcome
    assert f"{f}: line 3, column ethnicity: is not a category of ethnicity" in p.stderr
    assert f"{f}: line 4, column fair: '7' is not an answer" in p.stderr
    assert f"{f}: line 5: no question is answered" in p.stderr
    assert f"{f}: line 6: has 2 fields but the header has 3" in p.stderr
    assert "4 of 6 rows rejected; nothing was imported" in p.stderr
    assert responses(server, "cli-bad") == 0
    assert json.loads(cli(server, "survey", "indicators", "--wave", "cli-bad").stdout)["responses"] == 0

    # the dry run checks and stores nothing, even with --skip-invalid
    p = cli(server, "survey", "import", "--wave", "cli-bad", "--dry-run", "--skip-invalid", str(f))
    assert p.returncode == 0 and "dry run: 6 rows checked, 2 valid, 4 rejected" in p.stdout
    assert responses(server, "cli-bad") == 0

    # --skip-invalid imports the two valid rows
    p = cli(server, "survey", "import", "--wave", "cli-bad", "--skip-invalid", str(f))
    assert p.returncode == 0 and "imported 2 of 6 rows (4 rejected)" in p.stdout, p.stdout
    assert responses(server, "cli-bad") == 2
    ind = json.loads(cli(server, "survey", "indicators", "--wave", "cli-bad").stdout)
    assert ind["responses"] == 2
    # two respondents: below the minimum cell, so nothing is published
    overall = {i["code"]: i["overall"] for i in ind["items"]}
    assert overall["fair"]["suppressed"] and overall["good_job"]["suppressed"]
    assert overall["listen"] == {"group": "all", "suppressed": False, "n": 0, "agree": 0}


def test_survey_import_report_is_the_apis(server, tmp_path):
    s = wave(server, "cli-same", "sameshire")
    f = tmp_path / "bad.csv"
    f.write_text(BAD)
    p = cli(server, "survey", "import", "--wave", "cli-same", "--json", "--dry-run", str(f))
    assert p.returncode == 1
    mine = json.loads(p.stdout)
    r = s.post(server.url + "/api/v1/surveys/cli-same/import?dry_run=1", data=BAD,
               headers={"Content-Type": "text/csv"})
    assert r.status_code == 422
    assert mine == r.json()["report"]
    assert mine["rejected_rows"] == 4 and mine["imported"] == 0 and mine["dry_run"] is True


def test_survey_import_from_stdin_and_refs(server):
    wave(server, "cli-stdin", "stdinshire")
    text = "ref,area,sex," + ",".join(ITEMS) + "\n"
    text += "r1,stdinshire,female,5,4,3,2,1,0\n" "r2,,male,4,4,4,4,4,4\n" "r3,,,dk,,,,,1\n"
    p = cli(server, "survey", "import", "--wave", "cli-stdin", "-", stdin=text)
    assert p.returncode == 0 and "imported 3 of 3 rows" in p.stdout, p.stderr
    assert responses(server, "cli-stdin") == 3
    # the same refs again: refused, named as stdin
    p = cli(server, "survey", "import", "--wave", "cli-stdin", "-", stdin=text)
    assert p.returncode == 1
    assert "stdin: line 2, column ref: a response with this ref was already imported" in p.stderr
    assert responses(server, "cli-stdin") == 3


def test_survey_import_errors(server, tmp_path):
    wave(server, "cli-err", "errshire")
    f = tmp_path / "h.csv"
    f.write_text("colour,fair\nred,4\n")
    p = cli(server, "survey", "import", "--wave", "cli-err", str(f))
    assert p.returncode == 1 and "colour: line 1: unknown column 'colour'" in p.stderr
    p = cli(server, "survey", "import", "--wave", "no-such-wave", str(f))
    assert p.returncode == 1 and "no survey wave has this slug" in p.stderr
    p = cli(server, "survey", "import", "--wave", "cli-err", str(tmp_path / "missing.csv"))
    assert p.returncode == 1 and "cannot open" in p.stderr
    p = cli(server, "survey", "import", str(f))
    assert p.returncode == 2 and "--wave and FILE are required" in p.stderr
    p = cli(server, "survey", "import", "--wave", "cli-err", str(f), str(f))
    assert p.returncode == 2 and "unexpected argument" in p.stderr
    assert responses(server, "cli-err") == 0


POP_GOOD = "dimension,category,value\nsex,female,0.51\nsex,male,0.49\nage,16-24,0.5\nage,65+,0.5\n"


def population(server, area):
    r = requests.get(server.url + f"/api/v1/areas/{area}/population")
    assert r.status_code == 200
    return r.json()["baselines"]


def test_population_import(server, tmp_path):
    s = server.bearer("t-admin@test.example")
    r = s.post(server.url + "/api/v1/areas", json={"slug": "popcli", "name": "Pop CLI", "kind": "force_area"})
    assert r.status_code == 201, r.text
    f = tmp_path / "pop.csv"
    f.write_text(POP_GOOD)
    args = ["population", "import", "--area", "popcli", "--year", "2021", "--source", "Test census"]
    p = cli(server, *args, "--dry-run", str(f))
    assert p.returncode == 0 and "dry run" in p.stdout
    assert population(server, "popcli") == []
    p = cli(server, *args, str(f))
    assert p.returncode == 0, p.stderr
    (b,) = population(server, "popcli")
    assert b["year"] == 2021 and b["source"] == "Test census"
    assert {m["code"]: m["share"] for m in b["margins"]["sex"]} == {"female": 0.51, "male": 0.49}
    # shares that do not sum, a bad value, counts that disagree: refused, nothing changed
    f.write_text("dimension,category,value\nsex,female,0.51\nsex,male,0.39\n")
    p = cli(server, *args, str(f))
    assert p.returncode == 1 and "margins.sex: the shares add up to 0.9000" in p.stderr
    f.write_text("dimension,category,value\nsex,female,0.5\nsex,male,lots\n")
    p = cli(server, *args, str(f))
    assert p.returncode == 1 and f"{f}: line 3, column value: 'lots' is not a number" in p.stderr
    f.write_text("dimension,category,value\nsex,female,500\nsex,male,500\nage,16-24,700\nage,65+,700\n")
    p = cli(server, *args, "--unit", "count", str(f))
    assert p.returncode == 1 and "margins.age" in p.stderr and "each dimension must count" in p.stderr
    p = cli(server, "population", "import", "--area", "nowhere", "--year", "2021", "--source", "x", str(f))
    assert p.returncode == 1 and "no area has this slug" in p.stderr
    p = cli(server, "population", "import", "--area", "popcli", "--year", "21", "--source", "x", str(f))
    assert p.returncode == 2 and "--year" in p.stderr
    (b2,) = population(server, "popcli")
    assert b2 == b


WF_GOOD = ("dimension,category,headcount,joiners,leavers\n"
           "sex,female,40,10,4\nsex,male,60,6,8\n"
           "ethnicity,indian,10,4,1\nethnicity,white-british,85,12,10\nethnicity,not-stated,5,0,1\n")


def workforce(server):
    return requests.get(server.url + "/api/v1/orgs/cli-police/workforce").json()["periods"]


def test_workforce_import(server, tmp_path):
    s = server.bearer("t-admin@test.example")
    r = s.post(server.url + "/api/v1/orgs", json={"slug": "cli-police", "name": "CLI Police",
                                                 "kind": "police", "areas": ["leicester"]})
    assert r.status_code == 201, r.text
    f = tmp_path / "wf.csv"
    f.write_text(WF_GOOD)
    args = ["workforce", "import", "--org", "cli-police", "--year", "2031", "--source", "HR"]
    before = workforce(server)
    assert before == []
    p = cli(server, *args, "--dry-run", str(f))
    assert p.returncode == 0 and "dry run" in p.stdout
    assert workforce(server) == before
    # the dimensions disagree on the joiners: refused
    f.write_text(WF_GOOD.replace("sex,male,60,6,8", "sex,male,60,7,8"))
    p = cli(server, *args, str(f))
    assert p.returncode == 1 and "the sex rows add up to 17 joiners but the ethnicity rows to 16" in p.stderr
    f.write_text(WF_GOOD.replace("sex,male,60,6,8", "sex,male,sixty,6,8"))
    p = cli(server, *args, str(f))
    assert p.returncode == 1 and "line 3, column headcount" in p.stderr
    assert workforce(server) == before
    # figures are for police organisations only
    f.write_text(WF_GOOD)
    p = cli(server, "workforce", "import", "--org", "st-philips-centre", "--year", "2031",
            "--source", "HR", str(f))
    assert p.returncode == 1 and "police organisations" in p.stderr
    p = cli(server, *args, str(f))
    assert p.returncode == 0, p.stderr
    (got,) = workforce(server)
    assert got["year"] == 2031 and got["source"] == "HR"
    assert {(x["dimension"], x["category"]): x["headcount"] for x in got["figures"]} == {
        ("sex", "female"): 40, ("sex", "male"): 60, ("ethnicity", "indian"): 10,
        ("ethnicity", "white-british"): 85, ("ethnicity", "not-stated"): 5}
