"""Open311 GeoReport v2 against a real server on loopback, read by an independent published client (georeport,
from PyPI) as a city app would, and posted to as the standard says (form-encoded, api_key): the services, a request
and its expected date from the real SLA, the request closed with the answer once the flow ends; the spec's errors."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
import requests
from georeport import GeoReport

from tests.helpers import INVESTIGATION, TRIAGE_ACCEPT, complete, public_view, rate

pytestmark = pytest.mark.usefixtures("deployed")


@pytest.fixture
def city(live_server):
    return f"{live_server}/open311/v2"


def _post(city, staff, fmt="json", **fields):
    token = staff.headers("intake1")["Authorization"].split(" ", 1)[1]
    form = {"api_key": token, "jurisdiction_id": "minyi.example", "service_code": "complaint",
            "lat": "31.2304", "long": "121.4737", "address_string": "人民广场东侧",
            "description": "广场东侧路灯连续三晚不亮，行人看不清台阶。", "first_name": "四", "last_name": "李",
            "phone": "13900002222", **fields}
    return requests.post(f"{city}/requests.{fmt}", data=form, timeout=10)


def test_a_city_app_lists_services_posts_a_request_and_reads_it_back(city, client, staff):
    app_client = GeoReport(city, jurisdiction="minyi.example")
    services = {s["service_code"]: s for s in app_client.get_service_list()}
    assert {"consultation", "complaint", "suggestion", "help", "dispute", "other"} == set(services)
    assert services["dispute"]["metadata"] is True and services["complaint"]["metadata"] is False
    definition = app_client.get_service_definition("dispute")
    assert [a["code"] for a in definition["attributes"]] == ["other_party"]

    posted = _post(city, staff)
    assert posted.status_code == 201, posted.text
    [receipt] = posted.json()
    number = receipt["service_request_id"]
    assert "access code" in receipt["service_notice"]

    request = app_client.get_service_request(number)
    assert request["status"] == "open" and request["service_code"] == "complaint"
    assert request["address"] == "人民广场东侧" and request["lat"] == pytest.approx(31.2304)
    expected = datetime.fromisoformat(request["expected_datetime"])
    petitioner = {"number": number, "access_code": re.search(r"access code (\w+)", receipt["service_notice"]).group(1)}
    assert expected == datetime.fromisoformat(public_view(client, petitioner)["answer_by"])  # the real SLA
    assert client.get(f"/api/v1/cases/{number}", headers=staff.headers("super1")).json["channel"] == "open311"
    assert [r["service_request_id"] for r in app_client.get_service_requests(status="open")] == [number]
    assert app_client.get_service_requests(status="closed") == []

    xml_client = GeoReport(city, output_format="xml")
    assert xml_client.get_service_request(number)["service_request_id"] == number
    assert {s["service_code"] for s in xml_client.get_service_list()} == set(services)

    complete(client, staff.headers("intake1"), number, TRIAGE_ACCEPT)
    complete(client, staff.headers("handler1"), number, INVESTIGATION)
    complete(client, staff.headers("head1"), number, {"head_decision": "approve"})
    complete(client, staff.headers("handler1"), number, {"answer": "已更换灯泡，路灯恢复照明。", "feedback_channel": "phone"})
    assert rate(client, petitioner, 5).status_code == 200
    closed = app_client.get_service_request(number)
    assert closed["status"] == "closed" and closed["status_notes"] == "已更换灯泡，路灯恢复照明。"
    assert closed["agency_responsible"] == "生态环境科"


def test_only_open311_requests_are_listed(city, client, staff, complaint):
    from tests.helpers import register

    register(client, staff.headers("intake1"), complaint)  # a hotline case: nobody else's business
    assert GeoReport(city).get_service_requests() == []
    assert requests.get(f"{city}/requests/{'2' * 14}.json", timeout=10).status_code == 404


def test_errors_are_the_standards_error_arrays(city, staff):
    no_key = requests.post(f"{city}/requests.json", data={"service_code": "complaint", "description": "x", "lat": "1",
                                                           "long": "1"}, timeout=10)
    assert no_key.status_code == 403 and no_key.json()[0]["code"] == 403
    handler = staff.headers("handler1")["Authorization"].split(" ", 1)[1]
    assert _post(city, staff, api_key=handler).status_code == 403
    for bad, words in (({"service_code": "nope"}, "service_code"), ({"lat": "", "long": "", "address_string": ""}, "location"),
                       ({"description": ""}, "description"), ({"lat": "91", "long": "0"}, "lat")):
        refused = _post(city, staff, **bad)
        assert refused.status_code == 400, (bad, refused.text)
        assert words in refused.json()[0]["description"], refused.json()
    xml = _post(city, staff, fmt="xml", service_code="nope")
    assert xml.status_code == 400 and xml.text.startswith("<?xml") and "<errors><error><code>400</code>" in xml.text
    assert requests.get(f"{city}/services/nope.json", timeout=10).status_code == 404
    assert requests.get(f"{city}/services.yaml", timeout=10).status_code == 404
    assert requests.get(f"{city}/requests.json?start_date=yesterday", timeout=10).status_code == 400


def test_the_specs_example_request_is_taken(city, staff):
    """The request of the GeoReport v2 wiki's example, in its own words (a pothole at a lat/long, an e-mail, a name)."""
    token = staff.headers("intake1")["Authorization"].split(" ", 1)[1]
    example = {"api_key": token, "service_code": "other", "lat": "37.76524078", "long": "-122.4212043",
               "address_string": "1234 5th street", "email": "smit222@sfgov.edu", "device_id": "tt222111",
               "account_id": "123456", "first_name": "john", "last_name": "smith", "phone": "111111111",
               "description": "A large sinkhole is destroying the street", "media_url": "http://example.org/hole.jpg",
               "attribute[WHISPAWN]": "123456"}
    posted = requests.post(f"{city}/requests.xml", data=example, timeout=10)
    assert posted.status_code == 201, posted.text
    assert "<service_requests><request><service_request_id>" in posted.text
    discovery = requests.get(f"{city}/discovery.json", timeout=10).json()
    assert discovery["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"
