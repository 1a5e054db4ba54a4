"""PostgreSQL: the title search indexes keyed by department too, so a department's search reads its own matches

Revision ID: 0032_search_by_department
Revises: 0031_ledger_diet
Create Date: 2026-12-07 04:10:00

The trigram and bigram GIN indexes of case titles become (department_id, title) indexes (btree_gin): a department's
handler searching a text common elsewhere and absent from their cases was answered by fetching every match of the
city and dropping the other departments' (at ten million cases, 50,000 rows and 365 ms for the count); the GIN
index now intersects the department's entry with the text's and returns nothing in 4 ms. A search over every
department uses the same index (the text's entries alone). SQLite (FTS5) is unchanged. btree_gin ships with
PostgreSQL (contrib) and is a trusted extension: the database's owner may create it.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0032_search_by_department'
down_revision = '0031_ledger_diet'
branch_labels = None
depends_on = None

CREATE = (
    'CREATE INDEX IF NOT EXISTS ix_case_department_title_trgm ON "case" USING gin (department_id, title gin_trgm_ops)',
    "CREATE INDEX IF NOT EXISTS ix_case_department_title_bigrams ON \"case\" "
    "USING gin (department_id, (string_to_array(title_bigrams, ' ')))",
)
OLD = (
    'CREATE INDEX IF NOT EXISTS ix_case_title_trgm ON "case" USING gin (title gin_trgm_ops)',
    "CREATE INDEX IF NOT EXISTS ix_case_title_bigrams ON \"case\" USING gin ((string_to_array(title_bigrams, ' ')))",
)


def upgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute('CREATE EXTENSION IF NOT EXISTS btree_gin')
    for statement in CREATE:
        op.execute(statement)
    op.execute('DROP INDEX IF EXISTS ix_case_title_trgm')
    op.execute('DROP INDEX IF EXISTS ix_case_title_bigrams')


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    for statement in OLD:
        op.execute(statement)
    op.execute('DROP INDEX IF EXISTS ix_case_department_title_trgm')
    op.execute('DROP INDEX IF EXISTS ix_case_department_title_bigrams')
