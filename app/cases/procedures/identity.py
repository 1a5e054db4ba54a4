"""Is an uploaded diagram the process stored under its id? Modelers give every new diagram the same process id
(`Process_1`) and random ids to its elements, so two unrelated diagrams share the process id and little else:
an upload whose elements are mostly not the stored version's is another process, refused until the owner gives
it its own id or confirms it is a new version."""

from __future__ import annotations

from lxml import etree
from sqlalchemy import select

from app.extensions import db
from app.models import ProcessVersion

from ..errors import ConflictError, T

SAME_PROCESS = 0.5  # shared elements over all elements of both, at least
_BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
_NODES = ("callActivity", "subProcess", "transaction", "adHocSubProcess")


def refuse_a_stranger(parsed) -> None:
    """ConflictError when the latest stored version of `parsed`'s process id is a different diagram."""
    row = db.session.execute(select(ProcessVersion.version, ProcessVersion.name, ProcessVersion.bpmn_xml)
                             .where(ProcessVersion.key == parsed.process_id)
                             .order_by(ProcessVersion.version.desc()).limit(1)).first()
    if row is None:
        return
    stored = flow_node_ids(etree.fromstring(row.bpmn_xml.encode(), etree.XMLParser(resolve_entities=False,
                                                                                  no_network=True)),
                           parsed.process_id)
    new = flow_node_ids(parsed.tree, parsed.process_id)
    if not stored or not new or len(stored & new) / len(stored | new) >= SAME_PROCESS:
        return
    raise ConflictError(T("process id '%(key)s' is already used by another process ('%(name)s', version %(version)s) "
                          "that shares few of this diagram's elements: give this diagram its own process id, or upload "
                          "it again confirming it is a new version of '%(key)s'",
                          key=parsed.process_id, name=row.name or parsed.process_id, version=row.version),
                        {"process": [T("confirm with new_version=true (API) or --new-version (CLI)")]})


def flow_node_ids(tree, process_id: str) -> set[str]:
    """The ids of the tasks, events, gateways and (sub)processes inside the process `process_id`."""
    found = tree.xpath("//bpmn:process[@id=$id]", namespaces={"bpmn": _BPMN}, id=process_id)
    if not found:
        return set()
    ids = set()
    for element in found[0].iter():
        if not isinstance(element.tag, str) or not element.get("id"):
            continue
        name = etree.QName(element).localname
        if name.endswith(("Task", "Event", "Gateway")) or name in _NODES or name == "task":
            ids.add(element.get("id"))
    return ids
