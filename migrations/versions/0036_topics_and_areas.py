"""topics (事项分类) and areas (属地): two trees of up to three levels; the dispatch table; a case's topic, area and
suggested department

Revision ID: 0036_topics_and_areas
Revises: 0035_open_title_index
Create Date: 2026-12-07 04:40:00

The shipped trees are loaded by `minyi topics import` / `minyi areas import` (the defaults of
app/cases/taxonomy/defaults/ when no file is named), as `minyi demo seed` does.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0036_topics_and_areas'
down_revision = '0035_open_title_index'
branch_labels = None
depends_on = None

CASE_COLUMNS = (('topic_id', 'tree_node'), ('area_id', 'tree_node'), ('suggested_department_id', 'department'))


def upgrade():
    op.create_table(
        'tree_node',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('code', sa.String(length=32), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('parent_id', sa.Integer(), nullable=True),
        sa.Column('level', sa.Integer(), nullable=False),
        sa.Column('keywords', sa.Text(), nullable=True),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['parent_id'], ['tree_node.id'], name=op.f('fk_tree_node_parent_id_tree_node')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_tree_node')),
        sa.UniqueConstraint('kind', 'code', name='uq_tree_node_kind_code'),
    )
    op.create_index('ix_tree_node_kind_parent', 'tree_node', ['kind', 'parent_id'])
    op.create_table(
        'dispatch_rule',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('topic_id', sa.Integer(), nullable=False),
        sa.Column('area_id', sa.Integer(), nullable=True),
        sa.Column('department_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['topic_id'], ['tree_node.id'], name=op.f('fk_dispatch_rule_topic_id_tree_node')),
        sa.ForeignKeyConstraint(['area_id'], ['tree_node.id'], name=op.f('fk_dispatch_rule_area_id_tree_node')),
        sa.ForeignKeyConstraint(['department_id'], ['department.id'],
                                name=op.f('fk_dispatch_rule_department_id_department')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_dispatch_rule')),
        sa.UniqueConstraint('topic_id', 'area_id', name='uq_dispatch_rule_topic_area'),
    )
    sqlite = op.get_bind().dialect.name == 'sqlite'
    for column, target in CASE_COLUMNS:  # plain ALTER TABLE: no copy of "case"
        fk = f'fk_case_{column}_{target}'
        if sqlite:
            op.execute(f'ALTER TABLE "case" ADD COLUMN {column} INTEGER CONSTRAINT {fk} REFERENCES "{target}" (id)')
        else:
            op.add_column('case', sa.Column(column, sa.Integer(), nullable=True))
            op.create_foreign_key(fk, 'case', target, [column], ['id'])
    op.create_index('ix_case_topic_id', 'case', ['topic_id'])
    op.create_index('ix_case_area_id', 'case', ['area_id'])


def downgrade():
    op.drop_index('ix_case_area_id', table_name='case')
    op.drop_index('ix_case_topic_id', table_name='case')
    for column, _target in reversed(CASE_COLUMNS):
        op.drop_column('case', column)  # in place (SQLite 3.35+): no copy of "case"
    op.drop_table('dispatch_rule')
    op.drop_index('ix_tree_node_kind_parent', table_name='tree_node')
    op.drop_table('tree_node')
