"""iCalendar checks of specs/ical.md, shared by the API tests:

1. python3-vobject: readComponents(validate=True) and validate() on each;
2. libical round trip: tests/tools/ical_roundtrip.c (built on first use);
3. the project's own checks, covering what both tools miss.

check_feed(text) runs all three and returns the list of faults found."""
import os
import re
import subprocess
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOOL_SRC = os.path.join(ROOT, "tests", "tools", "ical_roundtrip.c")

ONCE_CAL = {"PRODID", "VERSION", "CALSCALE", "METHOD"}
REQUIRED_EVENT = {"UID", "DTSTAMP", "DTSTART"}
AT_MOST_ONCE_EVENT = {"CLASS", "CREATED", "DESCRIPTION", "GEO", "LAST-MODIFIED", "LOCATION",
                      "ORGANIZER", "PRIORITY", "SEQUENCE", "STATUS", "SUMMARY", "TRANSP", "URL",
                      "RECURRENCE-ID", "DTEND", "DURATION", "UID", "DTSTAMP", "DTSTART"}
TEXT_PROPS = {"SUMMARY", "DESCRIPTION", "LOCATION", "COMMENT", "X-WR-CALNAME", "NAME"}
UTC_RE = re.compile(r"^\d{8}T\d{6}Z$")


def own_checks(data: bytes):
    """The project's own checks on raw bytes; returns a list of faults."""
    faults = []
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        faults.append("not valid UTF-8")
        return faults
    if not data.endswith(b"\r\n"):
        faults.append("does not end with CRLF")
    raw_lines = data.split(b"\r\n")
    if raw_lines and raw_lines[-1] == b"":
        raw_lines.pop()
    for i, line in enumerate(raw_lines, 1):
        if b"\n" in line or b"\r" in line:
            faults.append(f"line {i}: bare LF or CR (lines must end in CRLF)")
            break
    for i, line in enumerate(raw_lines, 1):
        if len(line) > 75:
            faults.append(f"line {i}: {len(line)} octets (more than 75)")
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            faults.append(f"line {i}: a fold splits a UTF-8 sequence")
    # Unfold (on CRLF + space/tab only; bare LFs were reported above).
    logical = []
    for line in raw_lines:
        if line[:1] in (b" ", b"\t") and logical:
            logical[-1] += line[1:]
        else:
            logical.append(line)
    stack, comps = [], []
    tzids, tz_defined, uids = set(), set(), []
    for raw in logical:
        text = raw.decode("utf-8", "replace")
        m = re.match(r"^([A-Za-z0-9-]+)((?:;[^:]*)?):(.*)$", text)
        if not m:
            faults.append(f"not a content line: {text[:40]!r}")
            continue
        name, params, value = m.group(1).upper(), m.group(2), m.group(3)
        if name == "BEGIN":
            comp = {"name": value.upper(), "props": []}
            stack.append(comp)
            comps.append(comp)
            continue
        if name == "END":
            if not stack or stack[-1]["name"] != value.upper():
                faults.append(f"END:{value} does not close the open component")
            else:
                stack.pop()
            continue
        if not stack:
            faults.append(f"{name} outside any component")
            continue
        stack[-1]["props"].append((name, params, value))
        for t in re.findall(r";TZID=(\"[^\"]*\"|[^;:]*)", params, re.I):
            tzids.add(t.strip('"'))
        if stack[-1]["name"] == "VTIMEZONE" and name == "TZID":
            tz_defined.add(value)
        if name in TEXT_PROPS:
            j = 0
            while j < len(value):
                ch = value[j]
                if ch == "\\":
                    if j + 1 >= len(value) or value[j + 1] not in "\\;,nN":
                        faults.append(f"{name}: bad escape in {value[:40]!r}")
                        break
                    j += 2
                    continue
                if ch in ";,":
                    faults.append(f"{name}: unescaped {ch!r} in TEXT value")
                    break
                j += 1
    if stack:
        faults.append("unclosed component " + stack[-1]["name"])
    cals = [c for c in comps if c["name"] == "VCALENDAR"]
    if len(cals) != 1:
        faults.append(f"{len(cals)} VCALENDAR objects")
    for cal in cals:
        names = [p[0] for p in cal["props"]]
        for once in ("PRODID", "VERSION"):
            if names.count(once) != 1:
                faults.append(f"VCALENDAR has {names.count(once)} {once}")
        for n in ONCE_CAL:
            if names.count(n) > 1:
                faults.append(f"VCALENDAR repeats {n}")
        if "METHOD" in names:
            faults.append("METHOD in a subscription feed")
        if [v for n, _, v in cal["props"] if n == "VERSION"] not in ([], ["2.0"]):
            faults.append("VERSION is not 2.0")
    for ev in (c for c in comps if c["name"] == "VEVENT"):
        names = [p[0] for p in ev["props"]]
        for n in REQUIRED_EVENT:
            if names.count(n) != 1:
                faults.append(f"VEVENT has {names.count(n)} {n}")
        for n in AT_MOST_ONCE_EVENT:
            if names.count(n) > 1:
                faults.append(f"VEVENT repeats {n}")
        if "DTEND" in names and "DURATION" in names:
            faults.append("VEVENT has both DTEND and DURATION")
        for n, params, v in ev["props"]:
            if n == "DTSTAMP" and (params or not UTC_RE.match(v)):
                faults.append(f"DTSTAMP {v!r} is not a UTC date-time")
            if n == "STATUS" and v not in ("TENTATIVE", "CONFIRMED", "CANCELLED"):
                faults.append(f"STATUS {v!r}")
            if n == "UID":
                uids.append(v)
    if len(uids) != len(set(uids)):
        faults.append("duplicate UIDs")
    for t in tzids - tz_defined:
        faults.append(f"TZID {t} has no VTIMEZONE")
    return faults


def vobject_checks(text: str):
    import vobject
    faults = []
    try:
        comps = list(vobject.readComponents(text, validate=True))
        if not comps:
            faults.append("vobject: no component")
        for c in comps:
            c.validate(raiseException=True)
            for ev in getattr(c, "vevent_list", []):
                ev.validate(raiseException=True)
    except Exception as e:  # vobject raises several exception types
        faults.append(f"vobject: {type(e).__name__}: {e}")
    return faults


def roundtrip_tool():
    """The libical checker: build/tests/ical_roundtrip if the Makefile built
    it, else compiled here (needs libical-dev and pkg-config)."""
    built = os.path.join(ROOT, "build", "tests", "ical_roundtrip")
    if os.path.exists(built) and os.path.getmtime(built) >= os.path.getmtime(TOOL_SRC):
        return built
    out = os.path.join(tempfile.gettempdir(), f"consent-ical-roundtrip-{os.getuid()}")
    if os.path.exists(out) and os.path.getmtime(out) >= os.path.getmtime(TOOL_SRC):
        return out
    flags = subprocess.run(["pkg-config", "--cflags", "--libs", "libical"], check=True,
                           capture_output=True, text=True).stdout.split()
    subprocess.run(["cc", "-std=c17", "-O1", "-o", out + ".tmp", TOOL_SRC, *flags], check=True)
    os.replace(out + ".tmp", out)
    return out


def libical_checks(data: bytes):
    with tempfile.NamedTemporaryFile(suffix=".ics", delete=False) as f:
        f.write(data)
        path = f.name
    try:
        p = subprocess.run([roundtrip_tool(), path], capture_output=True, text=True, timeout=60)
    finally:
        os.unlink(path)
    return [] if p.returncode == 0 else ["libical: " + (p.stdout + p.stderr).strip()]


def check_feed(data: bytes):
    """Every fault the three checks find in data (bytes of an .ics)."""
    return own_checks(data) + vobject_checks(data.decode("utf-8", "replace")) + \
        libical_checks(data)
