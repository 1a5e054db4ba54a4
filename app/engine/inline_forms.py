"""Forms a diagram declares itself: Camunda 7's generated task forms (`camunda:formData` with its `camunda:formField`s),
read into Minyi's form shape so that such a diagram runs without forms made for it. A user task that names a form
(`formKey`) keeps it; its `formData` is then not read.

Each becomes the form `TASK_ID.form` of the task (a dot, which no form made in the workbench or forms/ has), stored
in the version's bundle like any other; a task that names a form (`formKey`) and declares fields too has them as
that form when no form of that name exists (the form made in the workbench wins). Types: string, long, boolean,
date, enum (its `camunda:value`s the choices) and the common textarea; constraints: required, min, max, maxlength;
a readonly field shows an earlier value and is left out. A type or constraint the forms here cannot hold is refused
at its task, saying what to use.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from app.text import T

from .errors import BpmnProblem
from .flow_checks import BPMN_NS, describe

CAMUNDA_NS = "http://camunda.org/schema/1.0/bpmn"
SPIFF_NS = "http://spiffworkflow.org/bpmn/schema/1.0/core"
TYPES = {"string": "string", "long": "integer", "boolean": "boolean", "date": "date", "enum": "choice", "textarea": "text"}
_NS = {"bpmn": BPMN_NS, "camunda": CAMUNDA_NS, "spiffworkflow": SPIFF_NS}
FORM_ID_MAX = 100  # a task's form and a bundle's form ids are kept in columns of this size


def inline_form_id(task_id: str) -> str:
    return f"{task_id}.form"


def form_data_of(task: etree._Element) -> etree._Element | None:
    """A user task's `camunda:formData`, when it names no form of its own (then that form is its form)."""
    return None if named_form(task) else declared_fields(task)


def named_form(task: etree._Element) -> str | None:
    named = task.get(f"{{{CAMUNDA_NS}}}formKey") or next(iter(task.xpath(
        "./bpmn:extensionElements//*[local-name()='property'][@name='formKey' or @name='form']/@value", namespaces=_NS)), None)
    return named or None


def declared_fields(task: etree._Element) -> etree._Element | None:
    found = task.xpath("./bpmn:extensionElements/camunda:formData", namespaces=_NS)
    return found[0] if found else None


def inline_forms(tree: etree._Element) -> tuple[dict[str, dict[str, Any]], list[BpmnProblem]]:
    """{form id: the form as forms/*.yaml would hold it} for every user task declaring its fields (under the name
    it gives its form, else TASK_ID.form), and the problems."""
    forms, problems = {}, []
    for task in tree.iter(f"{{{BPMN_NS}}}userTask"):
        form_data = declared_fields(task)
        if form_data is None:
            continue
        fields = []
        for item in form_data.iterfind(f"{{{CAMUNDA_NS}}}formField"):
            field, problem = _field(item)
            if problem is not None:
                problems.append(BpmnProblem(task.get("id"), T("%(element)s: %(problem)s", element=describe(task),
                                                              problem=problem)))
            elif field is not None:
                fields.append(field)
        form_id = named_form(task) or inline_form_id(task.get("id") or "")
        form = {"id": form_id, "title": task.get("name") or task.get("id"), "fields": fields}
        problems += _clashes(forms, {form_id: form}, task.get("id") or form_id)
        forms.setdefault(form_id, form)
    return forms, problems


def merged(forms: dict[str, dict[str, Any]], theirs: dict[str, dict[str, Any]], where: str) -> list[BpmnProblem]:
    """Add a called file's declared forms to `forms`; the problems of a name used for different fields."""
    problems = _clashes(forms, theirs, where)
    for form_id, form in theirs.items():
        forms.setdefault(form_id, form)
    return problems


def _clashes(forms: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]], where: str) -> list[BpmnProblem]:
    problems = []
    for form_id, form in new.items():
        if len(form_id) > FORM_ID_MAX:
            problems.append(BpmnProblem(where, T("the form name '%(form)s' is longer than %(max)s characters: give the "
                                                 "task a shorter formKey or id", form=form_id, max=FORM_ID_MAX)))
        elif form_id in forms and forms[form_id]["fields"] != form["fields"]:
            problems.append(BpmnProblem(where, T("two user tasks declare different fields for the form '%(form)s': give "
                                                 "each its own formKey, or the same fields", form=form_id)))
    return problems


def _field(item: etree._Element) -> tuple[dict[str, Any] | None, str | None]:
    name, kind = item.get("id") or "", item.get("type") or "string"
    if kind not in TYPES:
        return None, T("the form field '%(name)s' has type '%(type)s', which forms here do not have: use string, long, "
                       "boolean, date or enum", name=name, type=kind)
    field: dict[str, Any] = {"name": name, "type": TYPES[kind], "label": item.get("label") or name}
    if kind == "enum":
        field["choices"] = [{"value": v.get("id"), "label": v.get("name") or v.get("id")}
                            for v in item.iterfind(f"{{{CAMUNDA_NS}}}value")]
    for constraint in item.iterfind(f"{{{CAMUNDA_NS}}}validation/{{{CAMUNDA_NS}}}constraint"):
        what, config = constraint.get("name"), constraint.get("config")
        if what == "readonly":
            return None, None
        if what == "required":
            field["required"] = True
        elif what in ("min", "max") and kind == "long" and _number(config) is not None:
            field[what] = _number(config)
        elif what == "maxlength" and _number(config) is not None:
            field["max_length"] = int(_number(config))
        elif what != "minlength":  # at least so many characters: left to the person filling it in
            return None, T("the form field '%(name)s' has the constraint '%(constraint)s', which forms here cannot "
                           "check: use required, min and max (numbers) or maxlength", name=name, constraint=what or "")
    return field, None


def _number(text: str | None) -> float | None:
    try:
        return float(text) if text is not None else None
    except ValueError:
        return None
