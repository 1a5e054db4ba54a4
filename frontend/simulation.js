// The token simulation in the modeler (bpmn-js-token-simulation): "模拟运行" switches the canvas into a
// mode where the owner starts a token at a start event, picks the way at each gateway and watches where a
// case would go — no case, no data, nothing saved (the package disables modeling while it is on).
//
// The package writes its controls in English into its own markup (no translate service). This module
// puts them into the page's language and makes them usable by keyboard: a MutationObserver over the
// canvas rewrites the package's texts, titles and labels (only inside its .bts-* elements) from ZH and
// PATTERNS below, and the mode switch (a bare <div>) becomes a button with its state announced.

import TokenSimulationModule from 'bpmn-js-token-simulation/lib/modeler';

import { TOGGLE_MODE_EVENT } from 'bpmn-js-token-simulation/lib/util/EventHelper';

const ZH = {
  'Token Simulation': '模拟运行',
  'Simulation Log': '模拟记录',
  'Toggle Simulation Log': '显示/隐藏模拟记录',
  'No Entries': '暂无记录',
  Close: '关闭',
  'Reset Simulation': '重新开始模拟',
  'Play/Pause Simulation': '暂停/继续模拟',
  'Pause Simulation': '模拟已暂停',
  'Play Simulation': '模拟继续',
  'Set Sequence Flow': '选择走哪条连线',
  'Add pause point': '在此暂停',
  'Remove pause point': '取消在此暂停',
  'Trigger Event': '触发此事件',
  'Start Event': '开始事件',
  'Found unsupported elements': '图中有无法模拟的元素',
  'Not supported': '无法模拟',
  Finished: '模拟结束',
  Process: '流程',
  SubProcess: '子流程',
  Task: '任务',
  'User Task': '用户任务',
  'Script Task': '脚本任务',
  'Service Task': '服务任务',
  'Manual Task': '人工任务',
  'Receive Task': '接收任务',
  'Send Task': '发送任务',
  'Business Rule Task': '业务规则任务',
  'Call Activity': '调用活动',
  'Exclusive Gateway': '排他网关',
  'Parallel Gateway': '并行网关',
  'Inclusive Gateway': '包容网关',
  'Intermediate Event': '中间事件',
  'Boundary Event': '边界事件',
  'End Event': '结束事件',
};

const SPEEDS = { Slow: '慢', Normal: '正常', Fast: '快' };
const ENDINGS = { started: '开始', finished: '结束', canceled: '取消' };

const PATTERNS = [
  [/^Set animation speed = (\w+)$/, (m) => `动画速度：${SPEEDS[m[1]] || m[1]}`],
  [/^Focus process instance (.+)$/, (m) => `只看流程实例 ${m[1]}`],
  [/^(.*) (started|finished|canceled)$/, (m) => `${ZH[m[1]] || m[1]}${ENDINGS[m[2]]}`],
];

export function translated(text) {
  const trimmed = text.trim();
  if (!trimmed) {
    return null;
  }
  if (Object.prototype.hasOwnProperty.call(ZH, trimmed)) {
    return text.replace(trimmed, ZH[trimmed]);
  }
  for (const [pattern, write] of PATTERNS) {
    const match = pattern.exec(trimmed);
    if (match) {
      return text.replace(trimmed, write(match));
    }
  }
  return null;
}

const ATTRIBUTES = ['title', 'aria-label'];

function translateNode(node) {
  if (node.nodeType === Node.TEXT_NODE) {
    const parent = node.parentElement;
    if (parent && parent.closest('[class*="bts-"]')) {
      const text = translated(node.nodeValue);
      if (text !== null && text !== node.nodeValue) {
        node.nodeValue = text;
      }
    }
    return;
  }
  if (node.nodeType !== Node.ELEMENT_NODE) {
    return;
  }
  const elements = [node, ...node.querySelectorAll('*')];
  for (const element of elements) {
    if (!element.closest('[class*="bts-"]')) {
      continue;
    }
    for (const name of ATTRIBUTES) {
      const value = element.getAttribute(name);
      const text = value && translated(value);
      if (text) {
        element.setAttribute(name, text);
      }
    }
    for (const child of element.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) {
        translateNode(child);
      }
    }
  }
}

// The switch: a focusable button (Enter or Space toggles it) that says whether the simulation is on.
function makeSwitch(container, active) {
  const toggle = container.querySelector('.bts-toggle-mode');
  if (!toggle) {
    return;
  }
  if (!toggle.hasAttribute('role')) {
    toggle.setAttribute('role', 'button');
    toggle.setAttribute('tabindex', '0');
    toggle.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        toggle.click();
      }
    });
  }
  toggle.setAttribute('aria-pressed', active ? 'true' : 'false');
}

// The package shows its start buttons and token counts only from zoom 0.5 on; a whole process fitted
// into the canvas is often smaller. Turning the simulation on brings the view up to a readable size with
// the first start event in sight, so the owner sees where to click.
const READABLE = 0.75;

function bringStartIntoView(canvas, elementRegistry) {
  if (canvas.zoom() >= 0.5) {
    return;
  }
  const starts = elementRegistry.filter((element) => element.type === 'bpmn:StartEvent' && !element.labelTarget
    && element.parent && ['bpmn:Process', 'bpmn:Participant'].includes(element.parent.type));
  canvas.zoom(READABLE);
  if (starts.length) {
    const { outer } = canvas.viewbox();
    const start = starts[0];
    const width = outer.width / READABLE;
    const height = outer.height / READABLE;
    canvas.viewbox({ x: start.x - 120, y: start.y + start.height / 2 - height / 2, width, height });
  }
}

function SimulationInPageLanguage(eventBus, canvas, elementRegistry, config) {
  const container = canvas.getContainer();
  const zh = ((config && config.locale) || 'zh') === 'zh';
  if (zh) {
    translateNode(container);
    const observer = new MutationObserver((records) => {
      for (const record of records) {
        if (record.type === 'attributes' || record.type === 'characterData') {
          translateNode(record.target);
        } else {
          record.addedNodes.forEach(translateNode);
        }
      }
    });
    observer.observe(container, { subtree: true, childList: true, characterData: true,
      attributes: true, attributeFilter: ATTRIBUTES });
    eventBus.on('diagram.destroy', () => observer.disconnect());
  }
  // After the package's own diagram.init listener has put the switch in (default priority 1000).
  eventBus.on('diagram.init', 500, () => makeSwitch(container, false));
  eventBus.on(TOGGLE_MODE_EVENT, (event) => {
    makeSwitch(container, event.active);
    if (event.active) {
      bringStartIntoView(canvas, elementRegistry);
    }
  });
}

SimulationInPageLanguage.$inject = ['eventBus', 'canvas', 'elementRegistry', 'config.minyi'];

export const SimulationModule = {
  __depends__: [TokenSimulationModule],
  __init__: ['simulationInPageLanguage'],
  simulationInPageLanguage: ['type', SimulationInPageLanguage],
};
