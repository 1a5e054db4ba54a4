"""versions as bundles with a lifecycle; the process catalogue

- process_version gains `state` (draft | published) and `active`, with a partial unique index:
  at most one active version per key. Existing versions become published; the newest of each
  key becomes active (what new cases started on before).
- process_version_form holds each version's forms (its bundle). Existing versions' bundles are
  filled from the forms their BPMN references, read from the forms folder as it is now (the app's
  MINYI_FORMS_DIR, else ./forms) — that may be newer than what the version was deployed with.
  A form that cannot be read is left out: such a version's tasks fall back to forms/ at run time.
- process_version.hash becomes the bundle identity (BPMN without diagram interchange, C14N, plus
  called processes and forms; as app/cases/bundles.py computes it on this date), so redeploying
  an unchanged file after the upgrade makes no new version. An older version whose new identity
  equals a newer one's (they differed only in layout) keeps its old hash.
- catalogue_entry binds every category to 'complaint', which is what intake did until now.

Revision ID: 0006_versions_catalogue
Revises: 0005_provisional_timers
Create Date: 2026-11-22 21:40:00

"""
import hashlib
from datetime import datetime, timezone
from pathlib import Path

from alembic import op
import sqlalchemy as sa
from lxml import etree


# revision identifiers, used by Alembic.
revision = '0006_versions_catalogue'
down_revision = '0005_provisional_timers'
branch_labels = None
depends_on = None

CATEGORIES = ("consultation", "complaint", "suggestion", "help", "dispute", "incident", "other")
BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
NS = {"bpmn": BPMN, "camunda": "http://camunda.org/schema/1.0/bpmn", "spiffworkflow": "http://spiffworkflow.org/bpmn/schema/1.0/core"}


def upgrade():
    with op.batch_alter_table('process_version', schema=None) as batch_op:
        batch_op.add_column(sa.Column('state', sa.String(length=20), nullable=False, server_default='published'))
        batch_op.add_column(sa.Column('active', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table('process_version_form',
    sa.Column('process_version_id', sa.Integer(), nullable=False),
    sa.Column('form_id', sa.String(length=100), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['process_version_id'], ['process_version.id'], name=op.f('fk_process_version_form_process_version_id_process_version'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('process_version_id', 'form_id', name=op.f('pk_process_version_form'))
    )
    op.create_table('catalogue_entry',
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('process_key', sa.String(length=100), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('category', name=op.f('pk_catalogue_entry'))
    )
    _migrate_versions()
    with op.batch_alter_table('process_version', schema=None) as batch_op:
        batch_op.create_index('ux_process_version_active_key', ['key'], unique=True,
                              sqlite_where=sa.text('active'), postgresql_where=sa.text('active'))
    catalogue = sa.table('catalogue_entry', sa.column('category', sa.String), sa.column('process_key', sa.String),
                         sa.column('updated_at', sa.DateTime(timezone=True)), sa.column('updated_by', sa.String))
    stamp = datetime.now(timezone.utc)
    op.bulk_insert(catalogue, [{"category": c, "process_key": "complaint", "updated_at": stamp, "updated_by": "migration"}
                               for c in CATEGORIES])


def _migrate_versions():
    bind = op.get_bind()
    versions = sa.table('process_version', sa.column('id', sa.Integer), sa.column('key', sa.String),
                        sa.column('version', sa.Integer), sa.column('hash', sa.String), sa.column('bpmn_xml', sa.Text),
                        sa.column('active', sa.Boolean))
    bundle = sa.table('process_version_form', sa.column('process_version_id', sa.Integer), sa.column('form_id', sa.String),
                      sa.column('source', sa.Text))
    rows = bind.execute(sa.select(versions.c.id, versions.c.key, versions.c.version, versions.c.bpmn_xml)
                        .order_by(versions.c.key, versions.c.version.desc())).all()
    forms_dir, processes_dir = _folders()
    taken, newest = set(), set()
    for row in rows:
        sources = _form_sources(row.bpmn_xml, forms_dir)
        if sources:
            bind.execute(bundle.insert(), [{"process_version_id": row.id, "form_id": f, "source": s} for f, s in sources.items()])
        values = {}
        if row.key not in newest:
            newest.add(row.key)
            values["active"] = True
        try:
            identity = _identity(row.bpmn_xml, sources, processes_dir)
        except etree.XMLSyntaxError:
            identity = None
        if identity is not None and (row.key, identity) not in taken:
            taken.add((row.key, identity))
            values["hash"] = identity
        if values:
            bind.execute(versions.update().where(versions.c.id == row.id).values(**values))


def _folders():
    try:
        from flask import current_app

        return Path(current_app.config["MINYI_FORMS_DIR"]), Path(current_app.config["MINYI_PROCESSES_DIR"])
    except (ImportError, RuntimeError, KeyError):
        return Path("forms"), Path("processes")


def _form_sources(xml: str, forms_dir: Path) -> dict:
    try:
        tree = etree.fromstring(xml.encode("utf-8"), parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return {}
    ids = set(tree.xpath("//bpmn:userTask/@camunda:formKey", namespaces=NS))
    ids |= set(tree.xpath("//bpmn:userTask//spiffworkflow:property[@name='formKey' or @name='form']/@value", namespaces=NS))
    sources = {}
    for form_id in sorted(ids):
        path = forms_dir / f"{form_id}.yaml"
        try:
            sources[form_id] = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # left out of the bundle: see the docstring
    return sources


def _executable(xml: bytes) -> bytes:
    tree = etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=True))
    for diagram in tree.findall(f"{{{BPMNDI}}}BPMNDiagram"):
        tree.remove(diagram)
    return etree.tostring(tree, method="c14n", with_comments=False)


def _identity(xml: str, sources: dict, processes_dir: Path) -> str:
    raw = xml.encode("utf-8")
    digest = hashlib.sha256()
    digest.update(b"bpmn\0" + _executable(raw))
    tree = etree.fromstring(raw, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    called = {}
    for process_id in set(tree.xpath("//bpmn:callActivity/@calledElement", namespaces=NS)):
        path = processes_dir / f"{process_id}.bpmn"
        if path.is_file():
            called[path.name] = path.read_bytes()
    for name in sorted(called):
        digest.update(f"\0called\0{name}\0".encode() + _executable(called[name]))
    for form_id in sorted(sources):
        digest.update(f"\0form\0{form_id}\0".encode() + sources[form_id].encode("utf-8"))
    return digest.hexdigest()


def downgrade():
    with op.batch_alter_table('process_version', schema=None) as batch_op:
        batch_op.drop_index('ux_process_version_active_key', sqlite_where=sa.text('active'), postgresql_where=sa.text('active'))
    op.drop_table('catalogue_entry')
    op.drop_table('process_version_form')
    with op.batch_alter_table('process_version', schema=None) as batch_op:
        batch_op.drop_column('active')
        batch_op.drop_column('state')
