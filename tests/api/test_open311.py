"""Open311 GeoReport v2 under /open311/v2/: every JSON answer validates
against ../shared/data/open311/georeport-v2.schema.json, the XML answers
are the same documents, errors follow the spec, public lists never show
sensitive categories, statistics-only reports or anyone's identity, and a
client written like FixMyStreet's (XML only, form-encoded POST with
attributes, token follow-up) works end to end."""
import json
import os
import xml.etree.ElementTree as ET

import jsonschema
import pytest
import requests

from harness import ROOT, run_cli

SCHEMA_PATH = os.path.join(ROOT, "..", "shared", "data", "open311", "georeport-v2.schema.json")
SCHEMA = json.load(open(SCHEMA_PATH))


def validate(doc, name):
    schema = {"$schema": SCHEMA["$schema"], "$ref": f"#/$defs/{name}", "$defs": SCHEMA["$defs"]}
    jsonschema.Draft202012Validator(schema).validate(doc)


@pytest.fixture(scope="module")
def o311(server):
    server.base = server.url + "/open311/v2"
    server.api_key = run_cli("apikey", "add", "--db", server.db.dsn,
                             "--name", "FixMyStreet test").stdout.strip()
    return server


def get_json(url, schema, code=200, **params):
    r = requests.get(url, params=params)
    assert r.status_code == code, r.text
    assert r.headers["Content-Type"] == "application/json; charset=utf-8"
    doc = r.json()
    validate(doc, schema)
    return doc


def get_xml(url, root, code=200, **params):
    r = requests.get(url, params=params)
    assert r.status_code == code, r.text
    assert r.headers["Content-Type"] == "text/xml; charset=utf-8"
    assert r.text.startswith('<?xml version="1.0" encoding="utf-8"?>')
    doc = ET.fromstring(r.content)
    assert doc.tag == root
    return doc


def xml_to_json(el, arrays=("services", "service_requests", "errors", "attributes", "values",
                            "endpoints", "formats")):
    """The Spark mapping back: lists for the wrapper elements, text for leaves."""
    if el.tag in arrays:
        return [xml_to_json(c) for c in el]
    if len(el):
        return {c.tag: xml_to_json(c) for c in el}
    return el.text


def loose(v):
    """JSON values as their XML text (for comparing the two formats)."""
    if isinstance(v, list):
        return [loose(x) for x in v]
    if isinstance(v, dict):
        return {k: loose(x) for k, x in v.items()}
    if v is None or v == "":
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return repr(v).rstrip("0").rstrip(".")
    return str(v)


def post(o311, fmt="json", **fields):
    data = {"api_key": o311.api_key, "jurisdiction_id": "consent.example",
            "service_code": "anti_social_behaviour", "lat": "52.6369", "long": "-1.1236",
            "description": "Fireworks thrown at the bus shelter every evening.",
            "attribute[area]": "highfields", "attribute[consent]": "anonymous"}
    data.update(fields)
    data = {k: v for k, v in data.items() if v is not None}
    return requests.post(f"{o311.base}/requests.{fmt}", data=data)


def test_discovery(o311):
    d = get_json(o311.base + "/discovery.json", "discovery")
    ep = d["endpoints"][0]
    assert ep["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert ep["url"].endswith("/open311/v2")
    assert set(ep["formats"]) == {"text/xml", "application/json"}
    x = get_xml(o311.base + "/discovery.xml", "discovery")
    assert loose(d) == xml_to_json(x)


def test_services_list_only_public_categories(o311):
    services = get_json(o311.base + "/services.json", "service_list")
    codes = {s["service_code"] for s in services}
    assert "anti_social_behaviour" in codes
    for sensitive in ["hate_incident", "hate_crime", "community_tension", "police_conduct", "other"]:
        assert sensitive not in codes
    assert all(s["metadata"] is True for s in services)
    x = get_xml(o311.base + "/services.xml", "services")
    assert xml_to_json(x) == loose(services)
    fr = get_json(o311.base + "/services.json", "service_list", lang="fr")
    assert {s["service_name"] for s in fr} >= {"Comportement antisocial"}


def test_service_definition_with_consent(o311):
    d = get_json(o311.base + "/services/anti_social_behaviour.json", "service_definition")
    attrs = {a["code"]: a for a in d["attributes"]}
    assert attrs["consent"]["required"] is True
    assert [v["key"] for v in attrs["consent"]["values"]] == ["statistics", "anonymous",
                                                              "identified"]
    assert "highfields" in {v["key"] for v in attrs["area"]["values"]}
    assert attrs["occurred_at"]["datatype"] == "datetime"
    assert attrs["privacy"]["variable"] is False
    orders = [a["order"] for a in d["attributes"]]
    assert len(set(orders)) == len(orders) and min(orders) == 1
    x = get_xml(o311.base + "/services/anti_social_behaviour.xml", "service_definition")
    assert xml_to_json(x) == loose(d)
    # Sensitive categories are not services.
    e = get_json(o311.base + "/services/hate_crime.json", "errors", 404)
    assert e[0]["code"] == 404
    get_json(o311.base + "/services/nope.json", "errors", 404)


def test_post_validates_and_token_follow_up(o311):
    r = post(o311)
    assert r.status_code == 200, r.text
    doc = r.json()
    validate(doc, "post_response")
    token = doc[0]["token"]
    assert "service_request_id" not in doc[0]
    t = get_json(f"{o311.base}/tokens/{token}.json", "token_response")
    rid = t[0]["service_request_id"]
    one = get_json(f"{o311.base}/requests/{rid}.json", "service_requests")
    assert one[0]["service_request_id"] == rid
    assert one[0]["status"] == "open"
    assert one[0]["address"] == "Highfields"
    assert one[0]["agency_responsible"] == "Leicestershire Police"
    assert one[0]["lat"] == 52.64 and one[0]["long"] == -1.12  # about 1 km, never exact
    assert one[0]["description"] is None
    # The token is the reporter's receipt.
    rc = requests.get(o311.url + "/api/v1/receipts/" + token).json()
    assert rc["id"] == rid and rc["source"] == "open311"
    assert rc["description"].startswith("Fireworks")
    x = get_xml(f"{o311.base}/requests/{rid}.xml", "service_requests")
    assert xml_to_json(x) == loose(one)


@pytest.mark.parametrize("fields,status,words", [
    ({"api_key": None}, 403, "api_key"),
    ({"api_key": "wrong"}, 403, "api_key"),
    ({"service_code": None}, 400, "service_code"),
    ({"service_code": "hate_crime"}, 404, "service_code"),
    ({"service_code": "potholes"}, 404, "service_code"),
    ({"lat": None, "long": None}, 400, "location"),
    ({"lat": "north"}, 400, "lat"),
    ({"long": None}, 400, "lat and long"),
    ({"attribute[area]": None}, 400, "attribute[area]"),
    ({"attribute[area]": "atlantis"}, 400, "attribute[area]"),
    ({"attribute[consent]": None}, 400, "attribute[consent]"),
    ({"attribute[consent]": "public"}, 400, "attribute[consent]"),
    ({"attribute[occurred_at]": "last week"}, 400, "attribute[occurred_at]"),
    ({"attribute[colour]": "red"}, 400, "colour"),
    ({"description": None}, 400, "description"),
    ({"description": "x" * 4001}, 400, "description"),
    ({"email": "nope"}, 400, "email"),
    ({"attribute[consent]": "identified"}, 400, "email"),
])
def test_post_errors(o311, fields, status, words):
    before = o311.db.count("reports")
    for fmt in ["json", "xml"]:
        r = post(o311, fmt, **fields)
        assert r.status_code == status, (fields, r.text)
        if fmt == "json":
            doc = r.json()
            validate(doc, "errors")
            assert doc[0]["code"] == status and words in doc[0]["description"], doc
        else:
            x = ET.fromstring(r.content)
            assert x.tag == "errors" and x.find("error/code").text == str(status)
    assert o311.db.count("reports") == before


def test_get_errors(o311):
    b = o311.base
    get_json(b + "/requests/nope.json", "errors", 404)
    get_json(b + "/tokens/nope.json", "errors", 404)
    get_json(b + "/requests.json", "errors", 400, start_date="yesterday")
    get_json(b + "/requests.json", "errors", 400, start_date="2025-01-01T00:00:00Z",
             end_date="2025-06-01T00:00:00Z")
    get_json(b + "/requests.json", "errors", 400, start_date="2025-06-01T00:00:00Z",
             end_date="2025-01-01T00:00:00Z")
    get_json(b + "/requests.json", "errors", 400, status="pending")
    get_json(b + "/requests.json", "errors", 404, service_code="hate_crime")
    get_json(b + "/requests.json", "errors", 400, page="0")
    get_json(b + "/requests.json", "errors", 400, page_size="5000")
    get_json(b + "/unknown.json", "errors", 404)
    get_xml(b + "/unknown.xml", "errors", 404)
    get_xml(b + "/requests.csv", "errors", 400)


def test_public_lists_hide_what_is_not_public(o311):
    secret_name, secret_mail = "Hidden Opentest", "hidden.opentest@example.org"
    mine = {}
    for consent in ["statistics", "anonymous", "identified"]:
        r = post(o311, **{"attribute[consent]": consent, "first_name": "Hidden",
                          "last_name": "Opentest", "email": secret_mail})
        assert r.status_code == 200, r.text
        tok = r.json()[0]["token"]
        mine[consent] = get_json(f"{o311.base}/tokens/{tok}.json",
                                 "token_response")[0]["service_request_id"]
    sens = requests.post(o311.url + "/api/v1/reports", json={
        "category": "hate_crime", "strands": ["race"], "description": "Sensitive one",
        "occurred_at": "2025-03-01T18:30:00Z", "area": "highfields", "consent": "identified",
        "reporter": {"email": secret_mail}}).json()
    listing = get_json(o311.base + "/requests.json", "service_requests")
    ids = {x["service_request_id"] for x in listing}
    assert mine["anonymous"] in ids and mine["identified"] in ids
    assert mine["statistics"] not in ids and sens["id"] not in ids
    assert {x["service_code"] for x in listing} == {"anti_social_behaviour"}
    for path in ["/requests.json", "/requests.xml", f"/requests/{mine['identified']}.json"]:
        text = requests.get(o311.base + path).text
        assert secret_mail not in text and "Opentest" not in text and "Fireworks" not in text
    for rid in [mine["statistics"], sens["id"]]:
        get_json(f"{o311.base}/requests/{rid}.json", "errors", 404)
    # Asking by id overrides the other filters but not what is public.
    by_id = get_json(o311.base + "/requests.json", "service_requests",
                     service_request_id=",".join(mine.values()) + "," + sens["id"])
    assert {x["service_request_id"] for x in by_id} == {mine["anonymous"], mine["identified"]}


def test_status_and_paging(o311):
    r = post(o311)
    tok = r.json()[0]["token"]
    rid = get_json(f"{o311.base}/tokens/{tok}.json", "token_response")[0]["service_request_id"]
    officer = o311.bearer("t-officer@test.example")
    officer.post(o311.url + f"/api/v1/reports/{rid}/status",
                 json={"status": "closed", "note": "Patrols added; no further reports."})
    one = get_json(f"{o311.base}/requests/{rid}.json", "service_requests")[0]
    assert one["status"] == "closed"
    assert one["status_notes"] == "Patrols added; no further reports."
    closed = get_json(o311.base + "/requests.json", "service_requests", status="closed")
    assert rid in {x["service_request_id"] for x in closed}
    assert all(x["status"] == "closed" for x in closed)
    opened = get_json(o311.base + "/requests.json", "service_requests", status="open")
    assert rid not in {x["service_request_id"] for x in opened}
    everything = get_json(o311.base + "/requests.json", "service_requests",
                          service_code="anti_social_behaviour")
    assert len(everything) >= 3
    pages = [get_json(o311.base + "/requests.json", "service_requests", page=str(p),
                      page_size="2") for p in range(1, len(everything) // 2 + 3)]
    assert all(len(p) <= 2 for p in pages)
    assert [x for p in pages for x in p] == everything
    old = get_json(o311.base + "/requests.json", "service_requests",
                   start_date="2020-01-01T00:00:00Z", end_date="2020-02-01T00:00:00+01:00")
    assert old == []


class FixMyStreetLikeClient:
    """Speaks GeoReport v2 the way FixMyStreet's perllib/Open311.pm does:
    XML only, form-encoded POSTs with attribute[...] fields, a token
    resolved through tokens/, errors read from errors/error."""

    def __init__(self, endpoint, jurisdiction, api_key):
        self.endpoint, self.jurisdiction, self.api_key = endpoint, jurisdiction, api_key

    def _get(self, path, **params):
        params["jurisdiction_id"] = self.jurisdiction
        r = requests.get(f"{self.endpoint}/{path}", params=params)
        return r.status_code, ET.fromstring(r.content)

    @staticmethod
    def _errors(doc):
        errs = doc.findall("error") if doc.tag == "errors" else []
        return [(e.findtext("code"), e.findtext("description")) for e in errs]

    def get_service_list(self):
        _, doc = self._get("services.xml")
        return [{c.tag: c.text for c in s} for s in doc.findall("service")]

    def get_service_meta_info(self, code):
        _, doc = self._get(f"services/{code}.xml")
        # Tolerant, as the Ruby gem's fixtures require: with or without <attributes>.
        attrs = doc.findall("attributes/attribute") or doc.findall("attribute")
        out = []
        for a in attrs:
            item = {c.tag: c.text for c in a if c.tag != "values"}
            item["values"] = [(v.findtext("key"), v.findtext("name"))
                              for v in a.findall("values/value")]
            out.append(item)
        return out

    def send_service_request(self, problem, extra):
        params = {"jurisdiction_id": self.jurisdiction, "api_key": self.api_key,
                  "service_code": problem["category"], "lat": problem["lat"],
                  "long": problem["long"], "email": problem["email"],
                  "first_name": problem["first_name"], "last_name": problem["last_name"],
                  "phone": problem["phone"], "description": problem["detail"],
                  "media_url": ""}
        for k, v in extra.items():
            params[f"attribute[{k}]"] = v
        r = requests.post(f"{self.endpoint}/requests.xml", data=params)
        doc = ET.fromstring(r.content)
        if r.status_code != 200:
            return None, self._errors(doc)
        req = doc.find("request")
        rid = req.findtext("service_request_id")
        if not rid and req.findtext("token"):
            rid = self.get_service_request_id_from_token(req.findtext("token"))
        return rid, []

    def get_service_request_id_from_token(self, token):
        _, doc = self._get(f"tokens/{token}.xml")
        return doc.findtext("request/service_request_id")

    def get_service_requests(self, ids):
        _, doc = self._get("requests.xml", service_request_id=",".join(ids))
        return [{c.tag: c.text for c in req} for req in doc.findall("request")]


def test_fixmystreet_like_client_end_to_end(o311):
    client = FixMyStreetLikeClient(o311.base, "consent.example", o311.api_key)
    services = client.get_service_list()
    asb = next(s for s in services if s["service_code"] == "anti_social_behaviour")
    assert asb["metadata"] == "true"
    meta = client.get_service_meta_info(asb["service_code"])
    required = {a["code"]: a for a in meta if a["required"] == "true" and a["variable"] == "true"}
    assert set(required) == {"consent", "area"}
    # Fill the required attributes from their value lists, as FMS's form does.
    extra = {"consent": "identified",
             "area": next(k for k, n in required["area"]["values"] if k == "belgrave")}
    problem = {"category": asb["service_code"], "lat": "52.6480", "long": "-1.1210",
               "email": "fms.user@example.org", "first_name": "Fix", "last_name": "Mystreet",
               "phone": "0116 496 0123", "detail": "Youths throwing stones at windows."}
    rid, errors = client.send_service_request(problem, extra)
    assert errors == [] and rid
    got = client.get_service_requests([rid])
    assert got[0]["service_request_id"] == rid and got[0]["status"] == "open"
    assert got[0]["address"] == "Belgrave"
    # The police see it with the contact details FMS sent (identified consent).
    o = o311.bearer("t-officer@test.example").get(o311.url + f"/api/v1/reports/{rid}").json()
    assert o["reporter"] == {"name": "Fix Mystreet", "email": "fms.user@example.org",
                             "phone": "0116 496 0123"}
    assert o["location"] == {"lat": 52.648, "long": -1.121}
    # A wrong key is reported the way FMS reads it.
    bad = FixMyStreetLikeClient(o311.base, "consent.example", "not-a-key")
    rid, errors = bad.send_service_request(problem, extra)
    assert rid is None and errors[0][0] == "403"
