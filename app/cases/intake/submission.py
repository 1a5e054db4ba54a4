"""An appeal from the public form: checked files, a submission limit per address and overall (counted in the
database: every worker and host agrees), then the case, its files and the count in one transaction -- a refused
file or a refusal registers nothing."""

from __future__ import annotations

from dataclasses import dataclass

from .. import errors, ledger, records
from ..errors import T
from ..files.store import CheckedFile, add_attachment
from ..people.attempts import Limits, record_submission, submission_refusal
from ..transaction import transaction
from .appeal import Appeal
from .registration import Intake, register_case

MAX_FILES = 5


class TooManySubmissionsError(errors.MinyiError):
    code, http_status = "rate_limited", 429

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class Submission:
    intake: Intake
    files: int


def submit_appeal(appeal: Appeal, files: list[CheckedFile], address: str, limits: Limits) -> Submission:
    """Register the appeal as the petitioner's own, with its files; TooManySubmissionsError when this address (or
    everyone together) sent too many just now."""
    if len(files) > MAX_FILES:
        raise errors.ValidationFailedError(T('too many files'), {"files": [
            T('at most %(n)s files', n=MAX_FILES)]})
    refusal = submission_refusal(address, limits)
    if refusal is not None:
        raise TooManySubmissionsError(T('too many appeals were sent from here just now; please try again later'),
                                      refusal.retry_after)
    with transaction():
        intake = register_case(appeal, ledger.PETITIONER)
        case_id = records.case_by_number(intake.number).id
        for checked in files:
            add_attachment(case_id, checked, ledger.PETITIONER)
        record_submission(address)
    return Submission(intake, len(files))
