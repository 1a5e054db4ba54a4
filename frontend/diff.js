/*
 * Two versions of a process side by side, their differences coloured (bpmn-js-differ).
 * Built by frontend/build.mjs into app/static/build/minyi-diff.{js,css}; defines window.MinyiDiff
 * (include build/minyi-diff.css and build/minyi-diff.js from the static folder).
 *
 * MinyiDiff.show({left, right, xmlOld, xmlNew, locale}) -> Promise<{added, removed, changed, layoutChanged}>
 *   left, right     elements (or CSS selectors) for the old and the new version; give them a height
 *   xmlOld, xmlNew  the two BPMN documents
 *   locale          'zh' (default) or 'en' (the legend's language)
 * The promise rejects (and shows nothing) when either document does not import.
 * Each list holds element ids. The new version shows added (green) and changed (orange) elements, the old
 * one removed (red) and changed ones; a changed element's badge lists what changed on hover. Elements
 * only moved or resized are in layoutChanged (dashed outline). Panning or zooming one side moves the other.
 * The result also carries `viewers: {left, right}` (bpmn-js NavigatedViewers) and `destroy()`.
 */

import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import { diff } from 'bpmn-js-differ';
import camundaModdle from 'camunda-bpmn-moddle/resources/camunda.json';

import spiffworkflowModdle from './spiffworkflow.json';

import './diff.css';

const moddleExtensions = { spiffworkflow: spiffworkflowModdle, camunda: camundaModdle };

const LEGEND = {
  zh: { added: '新增', removed: '删除', changed: '修改', layoutChanged: '仅布局变化', what: '改动' },
  en: { added: 'added', removed: 'removed', changed: 'changed', layoutChanged: 'layout only', what: 'changed' },
};

function resolve(target) {
  const found = typeof target === 'string' ? document.querySelector(target) : target;
  if (!found) {
    throw new Error(`MinyiDiff.show: no element ${target}`);
  }
  return found;
}

async function open(container, xml) {
  container.classList.add('minyi-diff-canvas');
  const viewer = new NavigatedViewer({ container, moddleExtensions });
  try {
    await viewer.importXML(xml);
  } catch (err) {
    viewer.destroy();
    throw err;
  }
  viewer.get('canvas').zoom('fit-viewport', 'auto');
  return viewer;
}

function mark(viewer, ids, cls) {
  const registry = viewer.get('elementRegistry');
  const canvas = viewer.get('canvas');
  for (const id of ids) {
    if (registry.get(id)) {
      canvas.addMarker(id, cls);
    }
  }
}

function explain(viewer, changed, words) {
  const registry = viewer.get('elementRegistry');
  const overlays = viewer.get('overlays');
  for (const [id, change] of Object.entries(changed)) {
    const element = registry.get(id);
    if (!element || element.type === 'label') {
      continue;
    }
    const names = Object.keys(change.attrs || {}).map((name) => name.replace(/\[\d+\]$/, ''));
    const badge = document.createElement('div');
    badge.className = 'minyi-diff-badge';
    badge.textContent = '±';
    badge.title = `${words.what}: ${[...new Set(names)].join(', ') || 'extensionElements'}`;
    overlays.add(element, 'minyi-diff', { position: { top: -14, left: -14 }, html: badge, scale: false });
  }
}

// Both sides show the same region, one that holds both diagrams whole (a new element may lie outside the old).
function fitBoth(left, right) {
  const boxes = [left, right].map((viewer) => viewer.get('canvas').viewbox().inner);
  const x = Math.min(...boxes.map((b) => b.x));
  const y = Math.min(...boxes.map((b) => b.y));
  const width = Math.max(...boxes.map((b) => b.x + b.width)) - x;
  const height = Math.max(...boxes.map((b) => b.y + b.height)) - y;
  const outer = left.get('canvas').viewbox().outer;
  const scale = Math.min(outer.width / (width + 40), outer.height / (height + 40));
  const view = { width: outer.width / scale, height: outer.height / scale };
  view.x = x + width / 2 - view.width / 2;
  view.y = y + height / 2 - view.height / 2;
  left.get('canvas').viewbox(view);
  right.get('canvas').viewbox(view);
}

// Panning or zooming one side shows the same region on the other.
function linkViewboxes(a, b) {
  let syncing = false;
  const follow = (from, to) => from.on('canvas.viewbox.changed', ({ viewbox }) => {
    if (syncing) {
      return;
    }
    syncing = true;
    to.get('canvas').viewbox({ x: viewbox.x, y: viewbox.y, width: viewbox.width, height: viewbox.height });
    syncing = false;
  });
  follow(a, b);
  follow(b, a);
}

function legend(container, words) {
  const box = document.createElement('div');
  box.className = 'minyi-diff-legend';
  for (const kind of ['added', 'removed', 'changed', 'layoutChanged']) {
    const item = document.createElement('span');
    item.className = `minyi-diff-key minyi-diff-key-${kind}`;
    item.textContent = words[kind];
    box.appendChild(item);
  }
  container.appendChild(box);
  return box;
}

async function show(options) {
  const words = LEGEND[options.locale === 'en' ? 'en' : 'zh'];
  const left = await open(resolve(options.left), options.xmlOld);
  let right;
  try {
    right = await open(resolve(options.right), options.xmlNew);
  } catch (err) {
    left.destroy(); // nothing half-shown when the new version does not import
    throw err;
  }
  const root = (viewer) => viewer.getDefinitions();
  const changes = diff(root(left), root(right));
  const result = {
    added: Object.keys(changes._added),
    removed: Object.keys(changes._removed),
    changed: Object.keys(changes._changed),
    layoutChanged: Object.keys(changes._layoutChanged).filter((id) => !(id in changes._changed)),
  };
  mark(right, result.added, 'minyi-diff-added');
  mark(left, result.removed, 'minyi-diff-removed');
  mark(left, result.changed, 'minyi-diff-changed');
  mark(right, result.changed, 'minyi-diff-changed');
  mark(left, result.layoutChanged, 'minyi-diff-layout');
  mark(right, result.layoutChanged, 'minyi-diff-layout');
  explain(right, changes._changed, words);
  fitBoth(left, right);
  linkViewboxes(left.get('eventBus'), right.get('eventBus'));
  const legendBox = legend(resolve(options.right), words);
  return Object.assign(result, {
    viewers: { left, right },
    destroy() {
      legendBox.remove();
      left.destroy();
      right.destroy();
    },
  });
}

export const MinyiDiff = { show };
window.MinyiDiff = MinyiDiff;
