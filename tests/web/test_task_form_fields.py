"""Every form field type renders as a labelled input and comes back in the API's shape."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from werkzeug.datastructures import MultiDict

from app.cases.procedures.forms import form_from_source
from app.web.staff.formdata import form_data

FORM = """
id: every_type
title: {zh: 全部类型, en: Every type}
fields:
  - {name: s, type: string, label: {zh: 短文本, en: Short}, required: true, max_length: 50}
  - {name: t, type: text, label: {zh: 长文本, en: Long}}
  - {name: i, type: integer, label: {zh: 整数, en: Whole}, min: 1, max: 9}
  - {name: n, type: number, label: {zh: 数字, en: Number}}
  - {name: b, type: boolean, label: {zh: 是否, en: Yes or no}}
  - {name: d, type: date, label: {zh: 日期, en: Date}}
  - {name: dt, type: datetime, label: {zh: 时间, en: Moment}}
  - name: c
    type: choice
    label: {zh: 单选, en: One}
    choices: [{value: 1, label: {zh: 一, en: one}}, {value: 2, label: {zh: 二, en: two}}]
  - name: m
    type: multichoice
    label: {zh: 多选, en: Many}
    choices: [{value: a, label: {zh: 甲, en: A}}, {value: b, label: {zh: 乙, en: B}}]
  - {name: dep, type: department, label: {zh: 部门, en: Department}}
  - {name: u, type: user, label: {zh: 用户, en: User}}
"""


def render(app, locale="zh", values=None, errors=None):
    fields = form_from_source("every_type", FORM).describe(locale)["fields"]
    with app.test_request_context("/"):
        template = app.jinja_env.from_string(
            '{% from "staff/_field.html" import field %}'
            "{% for f in fields %}{{ field(f, values.get(f.name), errors.get(f.name), [('ENV', '生态环境科')]) }}{% endfor %}")
        return template.render(fields=fields, values=values or {}, errors=errors or {})


def test_each_type_has_its_input_and_a_label_tied_to_it(app):
    html = render(app)
    for name, markup in [("s", 'type="text" maxlength="50"'), ("t", "<textarea"), ("i", 'type="number"'),
                         ("n", 'step="any"'), ("b", 'type="checkbox"'), ("d", 'type="date"'), ("dt", 'type="datetime-local"'),
                         ("c", "<select"), ("dep", '<option value="ENV"'), ("u", 'placeholder="用户名"')]:
        assert f'for="field-{name}"' in html and f'id="field-{name}"' in html, name
        assert markup in html, name
    assert 'min="1"' in html and 'max="9"' in html and "required" in html
    assert 'for="field-m-1"' in html and "<legend>多选" in html and ">甲<" in html


def test_labels_follow_the_locale_and_errors_sit_beside_their_field(app):
    html = render(app, "en", errors={"i": ["Not a valid integer."]})
    assert 'for="field-i">Whole' in html and ">整数" not in html
    assert "请填写整数。" in html  # the service's message, in the page's language (zh here)
    assert 'aria-describedby="field-i-error"' in html and 'id="field-i-error"' in html


def test_posted_values_come_back_in_the_apis_shape():
    fields = form_from_source("every_type", FORM).describe("zh")["fields"]
    posted = MultiDict([("s", "x"), ("t", ""), ("i", "3"), ("n", "2.5"), ("b", "true"), ("d", "2026-03-02"),
                        ("dt", "2026-03-02T09:30"), ("c", "2"), ("m", "a"), ("m", "b"), ("dep", "ENV"), ("u", "abc")])
    data = form_data(fields, posted, ZoneInfo("Asia/Shanghai"))
    # an emptied field is a value cleared on purpose: the page shows every field with what the case holds
    assert data == {"s": "x", "t": None, "i": 3, "n": 2.5, "b": True, "d": "2026-03-02", "dt": "2026-03-02T09:30:00+08:00", "c": 2,
                    "m": ["a", "b"], "dep": "ENV", "u": "abc"}
    assert form_data(fields, MultiDict([("i", "abc")]), ZoneInfo("UTC"))["i"] == "abc"  # left for validation to refuse
    assert form_data(fields, MultiDict(), ZoneInfo("UTC")) == {
        "s": None, "t": None, "i": None, "n": None, "b": False, "d": None, "dt": None, "c": None, "m": [], "dep": None,
        "u": None}  # a form posted empty clears what it shows
