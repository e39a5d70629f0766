"""The layering rules of DESIGN.md, checked on the source: arrows only point
down, only store/ sees the database libraries, only http/ sees
libmicrohttpd, and the pure libraries include nothing above them."""
import glob
import os
import re

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SRC = os.path.join(ROOT, "src")


def includes():
    for path in glob.glob(os.path.join(SRC, "**", "*.[ch]"), recursive=True):
        rel = os.path.relpath(path, SRC)
        layer = rel.split(os.sep)[0] if os.sep in rel else "main"
        for inc in re.findall(r'^\s*#\s*include\s*[<"]([^">]+)[">]', open(path).read(), re.M):
            yield rel, layer, inc


def test_database_headers_only_in_store():
    bad = [(f, i) for f, layer, i in includes() if i in ("sqlite3.h", "libpq-fe.h") and layer != "store"]
    assert not bad, bad


def test_microhttpd_only_in_http():
    bad = [(f, i) for f, layer, i in includes() if i == "microhttpd.h" and layer != "http"]
    assert not bad, bad


# What each layer may include of the project's own folders.
ALLOWED = {
    "base": {"base"},
    "tlog": {"base", "tlog", "store"},
    "opinion": {"base", "opinion"},
    "stats": {"base", "stats"},
    "store": {"base", "store"},
    "domain": {"base", "store", "tlog", "stats", "opinion", "domain"},
    "http": {"base", "store", "domain", "http"},
    "api": {"base", "store", "domain", "tlog", "stats", "opinion", "http", "api"},
    "web": {"base", "store", "domain", "tlog", "stats", "opinion", "http", "web"},
    "cli": {"base", "store", "domain", "tlog", "stats", "opinion", "http", "api", "web", "cli"},
    "main": {"base", "cli"},
}


def test_arrows_point_down():
    bad = []
    for f, layer, inc in includes():
        top = inc.split("/")[0]
        if "/" not in inc or top not in ALLOWED:
            continue
        if top not in ALLOWED.get(layer, set()):
            bad.append((f, inc))
    assert not bad, bad


def test_pure_libraries_do_no_io():
    """merkle, note, tile, opinion and stats take no files, sockets or clocks."""
    pure = glob.glob(os.path.join(SRC, "tlog", "merkle.c")) + \
        glob.glob(os.path.join(SRC, "tlog", "note.c")) + \
        glob.glob(os.path.join(SRC, "tlog", "tile.c")) + \
        glob.glob(os.path.join(SRC, "stats", "*.c")) + \
        [p for p in glob.glob(os.path.join(SRC, "opinion", "*.c"))]
    bad = []
    for p in pure:
        text = open(p).read()
        for word in ["fopen(", "open(", "socket(", "time(NULL)", "clock_gettime(", "printf("]:
            for m in re.finditer(re.escape(word), text):
                line = text[:m.start()].count("\n") + 1
                before = text[max(0, m.start() - 1):m.start()]
                if word == "open(" and before.isalnum() or before == "_":
                    continue
                if word == "printf(" and before in ("n", "s", "v", "f"):
                    continue
                bad.append((os.path.relpath(p, ROOT), line, word))
    assert not bad, bad
