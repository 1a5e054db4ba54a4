"""Migration 0020 gives calendar-day moments written before it the unit 'days' (a pause then moves them by dates
and off rest days): the pending moments and open cases' deadlines at the last second of a local day; durations
keep 'calendar'. The downgrade makes them all 'calendar' again."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from app import create_app
from app.cases import reference
from app.cases.intake.appeal import parse_appeal
from app.cases.intake.registration import forget_reserved_numbers, register_case
from app.cases.people.users import create_user
from app.cases.procedures.processes import deploy_bpmn, forget_version_caches
from app.extensions import db
from app.models import Case, Timer
from tests.helpers import COMPLAINT
from tests.processes import clocked_with_bpmn_timer

BEFORE = "0019_at_risk_queues"


def _forget_caches():
    reference.forget()
    forget_reserved_numbers()
    forget_version_caches()


def _units():
    db.session.expire_all()
    timers = {t.kind if t.kind != "bpmn" else t.name: t.unit for t in db.session.scalars(select(Timer))}
    due_unit = db.session.scalar(select(Case.due_unit))
    db.session.rollback()  # no transaction left open: the next migration takes locks on the tables
    return timers, due_unit


def test_calendar_day_moments_written_before_get_their_own_unit_and_durations_keep_theirs(empty_database, frozen):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database})
    with app.app_context():
        upgrade()
        _forget_caches()
        create_user("intake1", ["intake"], password=None)
        deploy_bpmn(clocked_with_bpmn_timer(), "complaint.bpmn", "test")
        register_case(parse_appeal(COMPLAINT), "intake1")
        timers, due_unit = _units()
        # written by this code: the case deadline (calendar_days) in 'days', the reminder (P2D) a duration
        assert due_unit == "days" and timers["reminder"] == "calendar" and timers["breach"] == "working"
        db.session.remove()

        downgrade(revision=BEFORE)  # as the code before 0020 wrote them: every calendar moment 'calendar'
        timers_before, due_unit_before = _units()
        assert due_unit_before == "calendar" and "days" not in timers_before.values()
        upgrade()
        assert _units() == ({**timers}, "days")  # the reminder at 09:00 stays a duration
        db.session.remove()
        db.engine.dispose()
    _forget_caches()
