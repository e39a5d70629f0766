"""Behaviour of the `consent opinion` command line: options, malformed input
(an error naming file, line and problem; exit 1), usage errors (exit 2),
--csv-out round trips, --timings.

Run from the project root:  /usr/bin/python3 -m pytest tests/opinion
"""

import csv
import json
import os
import shutil
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.join(ROOT, os.environ.get("CONSENT_BIN", "build/consent"))
DATA = os.path.join(ROOT, "..", "shared", "data", "polis")
FIXTURES = os.path.join(DATA, "fixtures")
CONVERSATIONS = os.path.join(DATA, "conversations")

COMMENTS_CSV = (
    "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
    '1000,x,0,0,1,0,1,"first, with a comma"\n'
    '1001,x,1,1,1,0,1,"second\nspans two lines"\n'
    "1002,x,2,1,0,0,-1,rejected\n"
)


def opinion(*args):
    return subprocess.run([BIN, "opinion", *args], capture_output=True, text=True, timeout=120)


def write(folder, name, text):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "w") as f:
        f.write(text)


def small_votes(n_participants=20, n_comments=3):
    lines = ["timestamp,datetime,comment-id,voter-id,vote"]
    t = 2000
    for p in range(n_participants):
        for c in range(n_comments):
            lines.append(f"{t},x,{c},{p},{1 if (p + c) % 3 else -1}")
            t += 1
    return "\n".join(lines) + "\n"


@pytest.fixture
def conv(tmp_path):
    folder = tmp_path / "conv"
    write(folder, "comments.csv", COMMENTS_CSV)
    write(folder, "votes.csv", small_votes())
    return folder


def test_small_conversation(conv):
    p = opinion(str(conv))
    assert p.returncode == 0, p.stderr
    blob = json.loads(p.stdout)
    assert blob["n"] == 20 and blob["n-cmts"] == 3
    assert blob["mod-out"] == [2] and blob["mod-in"] == [0, 1]
    # agree = +1 in the export, -1 in the blob: on comment 0, 13 of the 20
    # agree (p % 3 != 0) and 7 disagree, so the mean is (-13 + 7) / 20
    assert blob["pca"]["center"][0] == pytest.approx(-0.3)
    assert blob["pca"]["center"][2] == 0  # moderated out


def test_last_vote_wins(tmp_path):
    folder = tmp_path / "c"
    write(folder, "comments.csv", COMMENTS_CSV)
    votes = small_votes()
    # participant 1 changes its vote on comment 0 later; the earlier row comes
    # later in the file, which must not matter (time orders the events)
    votes += "9999,x,0,1,0\n5,x,0,1,-1\n"
    write(folder, "votes.csv", votes)
    blob = json.loads(opinion(str(folder)).stdout)
    assert blob["user-vote-counts"]["1"] == 3
    g = next(iter(blob["group-votes"].values()))
    total_s = sum(v["votes"]["0"]["S"] for v in blob["group-votes"].values())
    assert total_s == 20 and g["n-members"] >= 1
    agrees = sum(v["votes"]["0"]["A"] for v in blob["group-votes"].values())
    assert agrees == 12  # 13 agreed, participant 1 now passes


@pytest.mark.parametrize(
    "file,content,where,what",
    [
        ("votes.csv", "timestamp,datetime,comment-id,voter-id,vote\n1,x,0,0,1\n2,x,0,1,7\n",
         "votes.csv:3:", "bad vote '7' (expected -1, 0 or 1)"),
        ("votes.csv", "timestamp,datetime,comment-id,vote\n1,x,0,1\n",
         "votes.csv:1:", "missing column 'voter-id'"),
        ("votes.csv", "timestamp,datetime,comment-id,voter-id,vote\n1,x,zero,0,1\n",
         "votes.csv:2:", "bad comment-id 'zero'"),
        ("votes.csv", "timestamp,datetime,comment-id,voter-id,vote\n1,x,0,99999999999,1\n",
         "votes.csv:2:", "bad voter-id"),
        ("votes.csv", "timestamp,datetime,comment-id,voter-id,vote\n1,x,0\n",
         "votes.csv:2:", "missing field 'voter-id'"),
        ("comments.csv", COMMENTS_CSV + '1003,x,3,1,0,0,1,"never closed\n',
         "comments.csv:6:", "malformed CSV"),
        ("comments.csv", COMMENTS_CSV + "1003,x,4,1,0,0,2,bad moderation\n",
         "comments.csv:6:", "bad moderated '2'"),
        ("comments.csv", COMMENTS_CSV + "1003,x,1,1,0,0,1,again\n",
         "comments.csv:6:", "comment-id 1 appears twice"),
        ("comments.csv", "", "comments.csv:1:", "empty file"),
    ],
)
def test_malformed_csv(conv, file, content, where, what):
    write(conv, file, content)
    p = opinion(str(conv))
    assert p.returncode == 1
    assert p.stdout == ""
    assert where in p.stderr and what in p.stderr, p.stderr


@pytest.mark.parametrize(
    "file,content,where,what",
    [
        ("votes.json", '[\n {"pid": 0, "tid": 0, "vote": 1},\n {"pid": 1, "tid": 0, "vote": 1,}\n]',
         "votes.json:3:", "invalid JSON"),
        ("votes.json", '[\n {"pid": 0, "tid": 0, "vote": 1},\n\n {"pid": 1, "tid": 0, "vote": 3}\n]',
         "votes.json:4:", 'item 1: bad "vote" (expected -1, 0 or 1)'),
        ("votes.json", '[{"pid": 0, "tid": 0, "vote": 1},\n {"pid": 1, "vote": 1}]',
         "votes.json:2:", 'item 1: missing "statement_id"'),
        ("votes.json", '{"votes": []}', "votes.json:1:", "expected a JSON array"),
        ("comments.json", '[{"tid": 0, "mod": 1},\n {"tid": 1, "mod": 1, "is_meta": "yes"}]',
         "comments.json:2:", 'bad "is_meta"'),
    ],
)
def test_malformed_json(tmp_path, file, content, where, what):
    folder = tmp_path / "j"
    write(folder, "comments.json", '[{"tid": 0, "mod": 1}, {"tid": 1, "mod": 1}]')
    write(folder, "votes.json", '[{"pid": 0, "tid": 0, "vote": 1, "modified": 5}]')
    write(folder, file, content)
    p = opinion(str(folder))
    assert p.returncode == 1
    assert where in p.stderr and what in p.stderr, p.stderr


def test_missing_folder_and_files(tmp_path):
    p = opinion(str(tmp_path / "nowhere"))
    assert p.returncode == 1 and "no conversation here" in p.stderr
    write(tmp_path / "v", "votes.csv", small_votes())
    p = opinion(str(tmp_path / "v"))
    assert p.returncode == 1 and "comments.csv" in p.stderr


@pytest.mark.parametrize(
    "args", [[], ["--bogus", "x"], ["a", "b"], ["--in-conv"], ["--in-conv", "1,x", "p"]]
)
def test_usage_errors(args):
    p = opinion(*args)
    assert p.returncode == 2
    assert p.stdout == ""


def test_help():
    p = opinion("--help")
    assert p.returncode == 0 and "usage: consent opinion" in p.stdout


def test_in_conv_option_adds_participants(conv):
    base = json.loads(opinion(str(conv)).stdout)
    assert len(base["in-conv"]) == 20
    # participant 99 has no votes: ignored with a warning
    p = opinion("--in-conv", "3,99", str(conv))
    assert p.returncode == 0 and "no votes" in p.stderr
    assert json.loads(p.stdout)["in-conv"] == base["in-conv"]


def test_timings(conv):
    p = opinion("--timings", str(conv))
    assert p.returncode == 0
    for stage in ("read", "matrix", "in-conv", "pca", "projection", "base-clusters",
                  "group-clusters", "tallies", "repness", "consensus", "peak-rss"):
        assert f"opinion: {stage} " in p.stderr, stage
    json.loads(p.stdout)


@pytest.mark.parametrize(
    "src",
    [os.path.join(FIXTURES, "25ptpt-3gp-no-strict-with-meta"),
     os.path.join(CONVERSATIONS, "london.youth.policing"),
     os.path.join(CONVERSATIONS, "vtaiwan.uberx")],
)
def test_csv_out_round_trip(tmp_path, src):
    out = tmp_path / "export"
    p = opinion("--csv-out", str(out), src)
    assert p.returncode == 0, p.stderr
    first = json.loads(p.stdout)
    for f in ("comments.csv", "votes.csv", "participants-votes.csv", "summary.csv"):
        assert (out / f).exists(), f
    again = opinion(str(out))
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout) == first

    # participants-votes.csv: the final matrix and our groups
    groups = {}
    bases = dict(zip(first["base-clusters"]["id"], first["base-clusters"]["members"]))
    for g in first["group-clusters"]:
        for b in g["members"]:
            for pid in bases[b]:
                groups[pid] = g["id"]
    with open(out / "participants-votes.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == first["n"]
    for row in rows:
        pid = int(row["participant"])
        assert int(row["n-votes"]) == first["user-vote-counts"][str(pid)]
        assert row["group-id"] == (str(groups[pid]) if pid in groups else "")

    # from participants-votes.csv alone (no times): the same matrix
    only = tmp_path / "pv"
    os.makedirs(only)
    shutil.copy(out / "comments.csv", only)
    shutil.copy(out / "participants-votes.csv", only)
    blob = json.loads(opinion(str(only)).stdout)
    # moderated-out columns are not in participants-votes.csv, so votes on
    # them (and people who only voted on them) are gone
    kept = [t for t in first["tids"] if t not in first["mod-out"]]
    assert blob["tids"] == kept
    assert blob["n"] <= first["n"]
    col = {t: i for i, t in enumerate(first["tids"])}
    for t in kept:
        assert blob["pca"]["center"][blob["tids"].index(t)] == pytest.approx(
            first["pca"]["center"][col[t]], abs=1e-12)
