"""What and where: the topic taxonomy (事项分类) and the areas (属地), each a tree of up to three levels, and the
dispatch table (topic × area → department) the triage's suggestion comes from."""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db

TREE_KINDS = ("topic", "area")
MAX_LEVEL = 3


class TreeNode(db.Model):
    """A topic (kind 'topic': e.g. 城乡建设 › 施工管理 › 夜间施工) or an area (kind 'area': district › street ›
    community). `keywords` (space-separated) suggest it from an appeal's text."""

    __tablename__ = "tree_node"
    __table_args__ = (UniqueConstraint("kind", "code", name="uq_tree_node_kind_code"),
                      Index("ix_tree_node_kind_parent", "kind", "parent_id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(100))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("tree_node.id"))
    level: Mapped[int] = mapped_column(Integer)
    keywords: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class DispatchRule(db.Model):
    """Cases of this topic (and its sub-topics) in this area (and below; none: anywhere) go to this department."""

    __table_args__ = (UniqueConstraint("topic_id", "area_id", name="uq_dispatch_rule_topic_area"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("tree_node.id"))
    area_id: Mapped[int | None] = mapped_column(ForeignKey("tree_node.id"))
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))
