"""An operation's ledger entries say a petitioner's rating once."""

from app.cases import ledger


def _entry(action, **details):
    return {"action": action, "details": details}


def test_a_rating_the_process_recorded_is_one_entry():
    entries = [_entry("case.rated", score=4, comment="好"),
               _entry("case.satisfaction_recorded", score=4, comment="好", source="petitioner"),
               _entry("case.status_changed", **{"from": "answered", "to": "closed"})]
    assert [e["action"] for e in ledger.said_once(entries)] == ["case.satisfaction_recorded", "case.status_changed"]


def test_a_rating_the_process_did_not_record_stays():
    entries = [_entry("case.rated", score=2, comment=None)]
    assert ledger.said_once(entries) == entries


def test_a_rating_on_the_visit_does_not_swallow_a_different_online_one():
    entries = [_entry("case.rated", score=2, comment="差"),
               _entry("case.satisfaction_recorded", score=5, comment=None, source="visit")]
    assert [e["action"] for e in ledger.said_once(entries)] == ["case.rated", "case.satisfaction_recorded"]
