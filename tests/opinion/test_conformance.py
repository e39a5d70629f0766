"""Conformance of `consent opinion` with Polis' own math output.

Each fixture in ../shared/data/polis/fixtures holds the votes and comments of
a real pol.is conversation and the math blob Polis computed from them
(math-pca2.json, agree = -1). Every stage is compared with the tolerances of
specs/polis-fixtures.md, feeding a stage the fixture's own upstream output
where the spec says so (--in-conv, --base-clusters, --group-clusters), and
end to end from the votes alone. The openData exports in
../shared/data/polis/conversations check the group assignment against
Polis' exported group-id.

Run from the project root:  /usr/bin/python3 -m pytest tests/opinion
The binary is $CONSENT_BIN (default build/consent).
"""

import csv
import functools
import itertools
import json
import math
import os
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.join(ROOT, os.environ.get("CONSENT_BIN", "build/consent"))
DATA = os.path.join(ROOT, "..", "shared", "data", "polis")
FIXTURES = os.path.join(DATA, "fixtures")
CONVERSATIONS = os.path.join(DATA, "conversations")

NAMES = [
    "below-100-ptpts",
    "25ptpt-3gp-no-strict-with-meta",
    "50ptpt-3gp-strict-no-meta",
    "above-100-ptpts",
    "150ptpt-3gp-no-strict-no-meta",
]
# pid 50's 4 votes are missing from this fixture's votes.json, and its
# priorities are all 49 (Polis' 2025 "truthy 0" regression, PR #1961).
KNOWN_BAD = "50ptpt-3gp-strict-no-meta"
MISSING_PID = "50"

# End to end (in-conv replayed from the vote times, cold k-means), the
# participant-level best-match accuracy must reach these. The reference
# implementation of the spec reaches 0.87, 0.85, 1.0, 0.976 and 0.992.
E2E_ACCURACY = {
    "below-100-ptpts": 0.85,
    "25ptpt-3gp-no-strict-with-meta": 0.80,
    "50ptpt-3gp-strict-no-meta": 0.95,
    "above-100-ptpts": 0.95,
    "150ptpt-3gp-no-strict-no-meta": 0.95,
}


def run_raw(*args):
    return subprocess.run([BIN, "opinion", *args], capture_output=True, text=True, timeout=120)


@functools.lru_cache(maxsize=None)
def run(*args):
    p = run_raw(*args)
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)


@functools.lru_cache(maxsize=None)
def reference(name):
    with open(os.path.join(FIXTURES, name, "math-pca2.json")) as f:
        return json.load(f)


def fixture_dir(name):
    return os.path.join(FIXTURES, name)


def inconv_arg(name):
    return ",".join(str(p) for p in reference(name)["in-conv"])


def ours_default(name):
    """End to end from the votes: in-conv replayed, everything computed."""
    return run(fixture_dir(name))


def ours_with_inconv(name):
    return run("--in-conv", inconv_arg(name), fixture_dir(name))


def ours_given_base(name):
    blob = os.path.join(fixture_dir(name), "math-pca2.json")
    return run("--in-conv", inconv_arg(name), "--base-clusters", blob, fixture_dir(name))


def ours_given_groups(name):
    blob = os.path.join(fixture_dir(name), "math-pca2.json")
    return run("--in-conv", inconv_arg(name), "--group-clusters", blob, fixture_dir(name))


def signs(ours, ref):
    """Per-component sign aligning our PCA with Polis' (components are only
    defined up to sign; Polis' cold start is random)."""
    out = []
    for a, b in zip(ours["pca"]["comps"], ref["pca"]["comps"]):
        dot = sum(x * y for x, y in zip(a, b))
        out.append(-1.0 if dot < 0 else 1.0)
    return out


def max_abs_diff(a, b):
    assert len(a) == len(b)
    return max((abs(x - y) for x, y in zip(a, b)), default=0.0)


def close(a, b, rel=0.0, abs_=0.0):
    return abs(a - b) <= max(abs_, rel * max(abs(a), abs(b)))


def skip_known_bad(name, why):
    if name == KNOWN_BAD:
        pytest.skip(f"{KNOWN_BAD}: {why}")


def groups_by_pid(blob):
    bases = dict(zip(blob["base-clusters"]["id"], blob["base-clusters"]["members"]))
    out = {}
    for g in blob["group-clusters"]:
        for b in g["members"]:
            for pid in bases[b]:
                out[pid] = g["id"]
    return out


def best_match_accuracy(ours, theirs):
    """Share of the participants both assign to a group whose labels agree
    under the best one-to-one matching of labels (brute force: k <= 5)."""
    common = [p for p in ours if p in theirs]
    assert common
    la = sorted({ours[p] for p in common})
    lb = sorted({theirs[p] for p in common})
    best = 0
    if len(la) <= len(lb):
        for perm in itertools.permutations(lb, len(la)):
            m = dict(zip(la, perm))
            best = max(best, sum(m[ours[p]] == theirs[p] for p in common))
    else:
        for perm in itertools.permutations(la, len(lb)):
            m = dict(zip(perm, lb))
            best = max(best, sum(m.get(ours[p]) == theirs[p] for p in common))
    return best / len(common)


# ---------------------------------------------------------------- matrix


@pytest.mark.parametrize("name", NAMES)
def test_counts(name):
    ours, ref = ours_default(name), reference(name)
    assert ours["n-cmts"] == ref["n-cmts"]
    assert ours["tids"] == ref["tids"]
    uvc = dict(ref["user-vote-counts"])
    if name == KNOWN_BAD:
        # the only difference is the participant whose votes are missing
        assert MISSING_PID not in ours["user-vote-counts"]
        del uvc[MISSING_PID]
        assert ours["n"] == ref["n"] - 1
    else:
        assert ours["n"] == ref["n"]
    assert ours["user-vote-counts"] == uvc


@pytest.mark.parametrize("name", NAMES)
def test_moderation(name):
    ours, ref = ours_default(name), reference(name)
    assert ours["mod-out"] == sorted(ref["mod-out"])
    assert ours["meta-tids"] == sorted(ref["meta-tids"])


@pytest.mark.parametrize("name", NAMES)
def test_in_conv_replay(name):
    ours, ref = set(ours_default(name)["in-conv"]), set(reference(name)["in-conv"])
    if name == "above-100-ptpts":
        # 2018 conversation: older rules were in force; the replay misses
        # exactly 31 low-vote participants (specs/polis-fixtures.md).
        assert ours < ref and len(ref - ours) == 31
    else:
        assert ours == ref


@pytest.mark.parametrize("name", NAMES)
def test_in_conv_given_is_kept(name):
    """--in-conv is the previous set: nobody in it is dropped."""
    ours = set(ours_with_inconv(name)["in-conv"])
    ref = set(reference(name)["in-conv"])
    assert ours == ref


# ---------------------------------------------------------------- PCA


@pytest.mark.parametrize("name", NAMES)
def test_pca_center(name):
    skip_known_bad(name, "votes of pid 50 missing, so the column means differ")
    ours, ref = ours_default(name), reference(name)
    assert max_abs_diff(ours["pca"]["center"], ref["pca"]["center"]) < 4e-15


@pytest.mark.parametrize("name", NAMES)
def test_pca_comps(name):
    skip_known_bad(name, "votes of pid 50 missing, so the matrix differs")
    ours, ref = ours_default(name), reference(name)
    s = signs(ours, ref)
    for k in range(2):
        ours_k = [s[k] * x for x in ours["pca"]["comps"][k]]
        assert max_abs_diff(ours_k, ref["pca"]["comps"][k]) <= 1e-6
        norm = math.sqrt(sum(x * x for x in ours_k))
        assert abs(norm - 1) < 1e-12


@pytest.mark.parametrize("name", NAMES)
def test_comment_projection_and_extremity(name):
    skip_known_bad(name, "votes of pid 50 missing, so the matrix differs")
    ours, ref = ours_default(name), reference(name)
    s = signs(ours, ref)
    for k in range(2):
        ours_k = [s[k] * x for x in ours["pca"]["comment-projection"][k]]
        assert max_abs_diff(ours_k, ref["pca"]["comment-projection"][k]) <= 1e-6
    assert max_abs_diff(ours["pca"]["comment-extremity"], ref["pca"]["comment-extremity"]) <= 1e-6


@pytest.mark.parametrize("name", NAMES)
def test_participant_projection(name):
    """Base-cluster centres = mean member projections, with the fixture's
    base clusters (under 100 participants: one participant each)."""
    skip_known_bad(name, "votes of pid 50 missing, so the projections differ")
    ours, ref = ours_given_groups(name), reference(name)
    s = signs(ours, ref)
    assert ours["base-clusters"]["id"] == ref["base-clusters"]["id"]
    assert ours["base-clusters"]["count"] == ref["base-clusters"]["count"]
    assert [sorted(m) for m in ours["base-clusters"]["members"]] == [
        sorted(m) for m in ref["base-clusters"]["members"]
    ]
    x = [s[0] * v for v in ours["base-clusters"]["x"]]
    y = [s[1] * v for v in ours["base-clusters"]["y"]]
    assert max_abs_diff(x, ref["base-clusters"]["x"]) <= 1e-6
    assert max_abs_diff(y, ref["base-clusters"]["y"]) <= 1e-6
    for og, rg in zip(ours["group-clusters"], ref["group-clusters"]):
        assert og["id"] == rg["id"]
        assert close(s[0] * og["center"][0], rg["center"][0], abs_=1e-6)
        assert close(s[1] * og["center"][1], rg["center"][1], abs_=1e-6)


# ---------------------------------------------------------------- clusters


@pytest.mark.parametrize("name", NAMES)
def test_groups_given_base_clusters(name):
    """Given Polis' base clusters: the same k and the identical partition."""
    ours, ref = ours_given_base(name), reference(name)
    assert len(ours["group-clusters"]) == len(ref["group-clusters"])
    part = lambda blob: sorted(sorted(g["members"]) for g in blob["group-clusters"])
    assert part(ours) == part(ref)


@pytest.mark.parametrize("name", NAMES)
def test_groups_end_to_end(name):
    ours, ref = ours_default(name), reference(name)
    assert len(ours["group-clusters"]) == len(ref["group-clusters"])
    acc = best_match_accuracy(groups_by_pid(ours), groups_by_pid(ref))
    assert acc >= E2E_ACCURACY[name], acc


@pytest.mark.parametrize("name", NAMES)
def test_base_clusters_fold(name):
    """Folded base clusters: centres are the means of the members, counts
    their sizes; every in-conv participant is in exactly one."""
    ours = ours_default(name)
    bc = ours["base-clusters"]
    members = [p for m in bc["members"] for p in m]
    assert sorted(members) == sorted(ours["in-conv"])
    assert bc["count"] == [len(m) for m in bc["members"]]
    assert len(bc["id"]) <= 100
    for g in ours["group-clusters"]:
        assert set(g["members"]) <= set(bc["id"])


# ---------------------------------------------------------------- tallies


@pytest.mark.parametrize("name", NAMES)
def test_votes_base_and_group_votes(name):
    ours, ref = ours_given_groups(name), reference(name)
    assert ours["votes-base"] == ref["votes-base"]
    assert ours["group-votes"] == ref["group-votes"]


# ---------------------------------------------------------------- repness


@pytest.mark.parametrize("name", NAMES)
def test_repness(name):
    ours, ref = ours_given_groups(name), reference(name)
    assert sorted(ours["repness"]) == sorted(ref["repness"])
    exact = ("tid", "n-success", "n-trials", "repful-for", "n-agree", "best-agree")
    for gid, items in ref["repness"].items():
        mine = ours["repness"][gid]
        assert [i["tid"] for i in mine] == [i["tid"] for i in items], gid
        for a, b in zip(mine, items):
            assert set(a) == set(b)
            for key in exact:
                assert a.get(key) == b.get(key), (gid, b["tid"], key)
            for key in ("p-success", "p-test", "repness", "repness-test"):
                assert close(a[key], b[key], rel=1e-6), (gid, b["tid"], key)


# ---------------------------------------------------------------- consensus


@pytest.mark.parametrize("name", NAMES)
def test_consensus(name):
    ours, ref = ours_default(name), reference(name)
    for side in ("agree", "disagree"):
        mine, theirs = ours["consensus"][side], ref["consensus"][side]
        assert [i["tid"] for i in mine] == [i["tid"] for i in theirs], side
        for a, b in zip(mine, theirs):
            assert a["n-success"] == b["n-success"] and a["n-trials"] == b["n-trials"]
            assert close(a["p-success"], b["p-success"], rel=1e-9)
            assert close(a["p-test"], b["p-test"], rel=1e-9, abs_=1e-9)


@pytest.mark.parametrize("name", NAMES)
def test_group_aware_consensus(name):
    ours, ref = ours_given_groups(name), reference(name)
    gac, rgac = ours["group-aware-consensus"], ref["group-aware-consensus"]
    assert sorted(gac, key=int) == sorted(rgac, key=int)
    assert max(abs(gac[t] - rgac[t]) for t in rgac) <= 1e-12


@pytest.mark.parametrize("name", NAMES)
def test_comment_priorities(name):
    ref = reference(name)
    if name == KNOWN_BAD:
        # Polis' 2025 regression: every priority 49. We apply the formula.
        assert set(ref["comment-priorities"].values()) == {49}
        pytest.skip(f"{KNOWN_BAD}: Polis' priorities are all 49 (PR #1961 bug)")
    ours = ours_given_groups(name)
    prio, rprio = ours["comment-priorities"], ref["comment-priorities"]
    assert sorted(prio, key=int) == sorted(rprio, key=int)
    for t in rprio:
        assert close(prio[t], rprio[t], rel=1e-9), t
    for t in ref["meta-tids"]:
        assert prio[str(t)] == 49


# ---------------------------------------------------------------- openData


def polis_groups_from_export(name):
    out = {}
    with open(os.path.join(CONVERSATIONS, name, "participants-votes.csv"), newline="") as f:
        for row in csv.DictReader(f):
            if row["group-id"] != "":
                out[int(row["participant"])] = int(row["group-id"])
    return out


@pytest.mark.parametrize(
    "name", ["vtaiwan.uberx", "austria-climate.5twd2jsnkf.2022-08-08"]
)
def test_open_data_group_agreement(name):
    ours = run(os.path.join(CONVERSATIONS, name))
    theirs = polis_groups_from_export(name)
    assert len(ours["group-clusters"]) == len(set(theirs.values()))
    acc = best_match_accuracy(groups_by_pid(ours), theirs)
    assert acc >= 0.95, acc


@pytest.mark.parametrize(
    "name",
    ["15-per-hour-seattle", "london.youth.policing", "american-assembly.bowling-green"],
)
def test_open_data_runs(name):
    """The other exports (bowling-green has no votes.csv: the matrix comes
    from participants-votes.csv) run and give sane output."""
    ours = run(os.path.join(CONVERSATIONS, name))
    assert ours["n"] > 0 and ours["n-cmts"] > 0
    assert 1 <= len(ours["group-clusters"]) <= 5
    assert sum(ours["base-clusters"]["count"]) == len(ours["in-conv"])
