"""The workbench's diff bundle (MinyiDiff) in a real browser: two versions side by side, coloured."""

from __future__ import annotations

import pytest

from tests.browser.bundles import COMPLAINT, VIEWPORT
from tests.browser.pages import shot

pytestmark = pytest.mark.browser


def test_the_diff_colours_a_renamed_task_as_changed_and_a_new_one_as_added(page, harness_base, tmp_path):
    new = (
        COMPLAINT.replace('name="Investigate 调查核实"', 'name="Investigate on site 实地调查"')
        .replace("earliest(working_days(3), case_due)", "earliest(working_days(2), case_due)")
        .replace(
            '<bpmn:userTask id="investigate"',
            '<bpmn:userTask id="double_check" name="Double check 复核" />\n    <bpmn:userTask id="investigate"',
        )
        .replace(
            "</bpmndi:BPMNPlane>",
            '<bpmndi:BPMNShape id="double_check_di" bpmnElement="double_check">'
            '<dc:Bounds x="900" y="720" width="100" height="80" /></bpmndi:BPMNShape></bpmndi:BPMNPlane>',
        )
    )
    page.set_viewport_size(VIEWPORT)
    page.goto(harness_base + "/diff_harness.html")
    result = page.evaluate(
        """async ([xmlOld, xmlNew]) => {
      const r = await MinyiDiff.show({left: '#old', right: '#new', xmlOld, xmlNew, locale: 'zh'});
      window.diffResult = r;
      return {added: r.added, removed: r.removed, changed: r.changed, layoutChanged: r.layoutChanged};
    }""",
        [COMPLAINT, new],
    )

    assert "double_check" in result["added"]
    assert "investigate" in result["changed"]
    assert "head_review" in result["changed"]  # only its due property changed
    assert result["removed"] == []
    assert page.locator("#new [data-element-id='double_check'].minyi-diff-added").count() == 1
    assert page.locator("#new [data-element-id='investigate'].minyi-diff-changed").count() == 1
    assert page.locator("#old [data-element-id='investigate'].minyi-diff-changed").count() == 1
    assert "新增" in page.locator("#new .minyi-diff-legend").inner_text()
    shot(page, tmp_path, "diff")

    back = page.evaluate(
        """async ([xmlOld, xmlNew]) => {
      window.diffResult.destroy();
      const r = await MinyiDiff.show({left: '#old', right: '#new', xmlOld, xmlNew, locale: 'en'});
      return {removed: r.removed, added: r.added};
    }""",
        [new, COMPLAINT],
    )
    assert back == {"removed": ["double_check"], "added": []}
    assert page.locator("#old [data-element-id='double_check'].minyi-diff-removed").count() == 1
