"""APScheduler wiring: a periodic sweep for due timers plus a job armed for the next due timer, message delivery
from the outbox every few seconds, the figures' rollups every few seconds, the e-mail intake mailbox every minute (when
configured), the periodic reports of the month, quarter and year just over (hourly: made once each), the what-if
runs owners asked for (every few seconds, one at a time), and an hourly housekeeping (failed attempts older than a
day, sessions ended or expired, the offers of tasks no longer open).

The sweep runs every SWEEP_SECONDS, so a timer fires within that time of its due time even when
another process created it; the next-due job makes it sub-second for timers this process knows of.
Several schedulers may run at once (see app.cases.timers.fire_due_timers).
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from app import clock
from app.cases.clocks.heartbeat import scheduler_name

log = logging.getLogger(__name__)
SWEEP_SECONDS = 1.0
NEXT_DUE_JOB = "next-due-timer"
HOUSEKEEPING_SECONDS = 3600  # old failed attempts and ended sessions go
HEARTBEAT_SECONDS = 5.0  # how often a scheduler says it is alive (GET /readyz reads it)
DELIVERY_SECONDS = 2.0  # how often the outbox is read for messages to send
FOLD_SECONDS = 5.0  # how often the cases whose ledger grew are folded into the figures' rollups
REPORTS_SECONDS = 3600  # how often the periodic reports of the periods just over are looked for (and made)
REPORTS_FIRST_SECONDS = 60  # the first look after starting: the figures are folded in by then
WHAT_IF_SECONDS = 5.0  # how often the what-if runs owners asked for are looked for


def build(app: Flask, blocking: bool = False):
    scheduler = (BlockingScheduler if blocking else BackgroundScheduler)(timezone="UTC")

    name = scheduler_name()
    last_beat = [0.0]

    def sweep():
        from app.cases.clocks.heartbeat import beat
        from app.cases.clocks.timers import fire_due_timers, next_due_at

        with app.app_context():
            try:
                fired = total = fire_due_timers(limit=100)
                while fired == 100:
                    fired = fire_due_timers(limit=100)
                    total += fired
                _arm_next(scheduler, next_due_at())
                if total or time.monotonic() - last_beat[0] >= HEARTBEAT_SECONDS:
                    beat(name, swept=True, fired=total)
                    last_beat[0] = time.monotonic()
            except Exception:  # a failing sweep must not stop the scheduler; the next one retries
                log.exception("timer sweep failed")

    def housekeeping():
        from app.cases.people.attempts import purge_failures
        from app.cases.people.sessions import purge_sessions
        from app.cases.work.tasks import forget_closed_offers

        with app.app_context():
            try:
                purge_failures()
                purge_sessions(app.permanent_session_lifetime)
            except Exception:
                log.exception("housekeeping failed")
            try:  # on its own: the inbox reads a person's offers, which must not grow if the purges above fail
                forget_closed_offers()
            except Exception:
                log.exception("forgetting the offers of closed tasks failed")

    scheduler.add_job(sweep, "interval", seconds=SWEEP_SECONDS, id="sweep", max_instances=1, coalesce=True,
                      next_run_time=clock.now())
    def deliver():
        from app.channels.delivery import deliver_due

        with app.app_context():
            try:
                deliver_due()
            except Exception:  # a failing round must not stop the scheduler; the next one retries
                log.exception("message delivery failed")

    scheduler.add_job(deliver, "interval", seconds=DELIVERY_SECONDS, id="deliver", max_instances=1, coalesce=True)

    def fetch():
        from app.channels.mail_in import MailboxError, fetch_mail

        with app.app_context():
            try:
                fetch_mail(app.config["MINYI_IMAP_URL"])
            except MailboxError as exc:
                log.warning("mail fetch failed: %s", exc)
            except Exception:
                log.exception("mail fetch failed")

    def fold():
        from app.cases.reports.folding import BATCH, fold_pending

        with app.app_context():
            try:
                while fold_pending() == BATCH:
                    pass
            except Exception:  # the cases stay marked: the next round folds them
                log.exception("folding the figures failed")

    scheduler.add_job(fold, "interval", seconds=FOLD_SECONDS, id="fold-figures", max_instances=1, coalesce=True)
    if app.config["MINYI_IMAP_URL"]:
        scheduler.add_job(fetch, "interval", seconds=app.config["MINYI_MAIL_FETCH_SECONDS"], id="mail-fetch",
                          max_instances=1, coalesce=True)
    scheduler.add_job(housekeeping, "interval", seconds=HOUSEKEEPING_SECONDS, id="housekeeping", max_instances=1,
                      coalesce=True)

    def reports():
        from app.cases.reference import local_today
        from app.cases.reports.periodic.archive import generate_due

        with app.app_context():
            try:
                made = generate_due(local_today())
                if made:
                    log.info("periodic reports made: %s", ", ".join(made))
            except Exception:
                log.exception("making the periodic reports failed")

    scheduler.add_job(reports, "interval", seconds=REPORTS_SECONDS, id="periodic-reports", max_instances=1,
                      coalesce=True, next_run_time=clock.now() + timedelta(seconds=REPORTS_FIRST_SECONDS))

    def what_if_runs():
        from app.cases.procedures.whatif import run_next

        with app.app_context():
            try:
                while run_next() is not None:
                    pass
            except Exception:  # the run stays open: taken up again once its heartbeat is stale
                log.exception("a what-if run failed")

    scheduler.add_job(what_if_runs, "interval", seconds=WHAT_IF_SECONDS, id="what-if-runs", max_instances=1,
                      coalesce=True)
    scheduler.minyi_sweep = sweep
    return scheduler


def _arm_next(scheduler, due) -> None:
    if due is None:
        return
    when = max(due, clock.now()) + timedelta(milliseconds=5)
    job = scheduler.get_job(NEXT_DUE_JOB)
    if job is None or job.next_run_time is None or job.next_run_time > when:
        scheduler.add_job(scheduler.minyi_sweep, "date", run_date=when, id=NEXT_DUE_JOB, replace_existing=True,
                          misfire_grace_time=60)
