"""A backup restored into an empty database holds every row of every table (SQLite and PostgreSQL)."""

from sqlalchemy import create_engine

from app import create_app
from app.cases.intake.appeal import parse_appeal
from app.cases.intake.registration import register_case
from app.extensions import db
from tests.helpers import COMPLAINT, table_rows


def test_a_backup_restored_into_an_empty_database_is_equal_row_for_row(app, staff, deployed, runner, tmp_path, empty_database):
    for _ in range(3):
        register_case(parse_appeal(COMPLAINT), "intake1")
    db.session.commit()
    path = tmp_path / "minyi.backup"
    made = runner.invoke(args=["backup", str(path)])
    assert made.exit_code == 0, made.output
    assert runner.invoke(args=["backup", str(path)]).exit_code != 0  # never over an existing file

    target = create_app({"SQLALCHEMY_DATABASE_URI": empty_database})
    with target.app_context():  # the CLI runs in the current app context: the target's, not the test's
        restored = target.test_cli_runner().invoke(args=["restore", str(path)])
        assert restored.exit_code == 0, restored.output
        again = target.test_cli_runner().invoke(args=["restore", str(path)])
        assert again.exit_code != 0 and "not empty" in str(again.exception or again.output)
        db.engine.dispose()

    copy = create_engine(empty_database)
    try:
        source, restored_rows = table_rows(db.engine), table_rows(copy)
    finally:
        copy.dispose()
    assert source == restored_rows
    assert len(source["case"]) == 3 and len(source["ledger_entry"]) >= 9 and len(source["process_spec"]) >= 1
