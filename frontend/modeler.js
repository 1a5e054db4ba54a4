/*
 * The process owners' workbench modeler: bpmn-js Modeler + properties panel with Minyi's properties.
 * Built by frontend/build.mjs into app/static/build/minyi-modeler.{js,css}; the page includes both and
 * the script defines window.MinyiModeler:
 *   <link rel="stylesheet" href="{{ url_for('static', filename='build/minyi-modeler.css') }}">
 *   <script src="{{ url_for('static', filename='build/minyi-modeler.js') }}"></script>
 *
 * MinyiModeler.create({container, panel, xml, lanes, forms, locale}) -> Promise<editor>
 *   container  element (or CSS selector) for the canvas; give it a height
 *   panel      element (or selector) for the properties panel
 *   xml        the BPMN to edit; a blank process when omitted
 *   lanes      [{name, label}]  the known groups a lane may be named after (name is written to the XML)
 *   forms      [{id, title}]    the forms a user task may use (id is written as its formKey)
 *   locale     'zh' (default) or 'en'
 * The palette also offers a user task and one user task per template (frontend/templates/*.json).
 * "模拟运行" (top left, or the key T) switches to the token simulation (frontend/simulation.js): tokens
 * started at a start event walk the diagram, the owner picks each gateway's way; nothing is changed.
 * The promise rejects when the XML cannot be imported (err.message says why); import warnings are in
 * editor.warnings.
 *
 * editor.getXML()               Promise<string>, formatted
 * editor.showProblems(list)     list of {element, message}: a red marker and a hover badge on each element
 *                               found (a process id lands on its pool); returns the problems not placed
 * editor.clearProblems()
 * editor.select(elementId)      selects and scrolls it into view; false when there is no such element
 *                               (the panel shows it after its next frame: await editor.settled() to be sure)
 * editor.settled()              Promise resolved once the panel has caught up with the last change
 * editor.isDirty()              true after any change since the import (or since markSaved())
 * editor.markSaved()            the current state counts as saved
 * editor.on('changed', fn)      fn({dirty}) after every change, undo and redo
 * editor.modeler                the bpmn-js Modeler itself, for anything else
 * editor.destroy()
 */

import Modeler from 'bpmn-js/lib/Modeler';
import { BpmnPropertiesPanelModule, BpmnPropertiesProviderModule } from 'bpmn-js-properties-panel';
import camundaModdle from 'camunda-bpmn-moddle/resources/camunda.json';

import { ZhTranslateModule } from './i18n-zh.js';
import { keptLoopRefs, withLoopRefs } from './loop-refs.js';
import MinyiPalette from './palette.js';
import MinyiPropertiesProvider from './minyi-panel.js';
import Problems from './problems.js';
import { SimulationModule } from './simulation.js';
import spiffworkflowModdle from './spiffworkflow.json';

import './modeler.css';

const BLANK = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="definitions" targetNamespace="https://minyi.example/processes">
  <bpmn:process id="new_process" isExecutable="true"><bpmn:startEvent id="start" /></bpmn:process>
  <bpmndi:BPMNDiagram id="diagram"><bpmndi:BPMNPlane id="plane" bpmnElement="new_process">
    <bpmndi:BPMNShape id="start_di" bpmnElement="start"><dc:Bounds x="180" y="160" width="36" height="36" /></bpmndi:BPMNShape>
  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>`;

// Open at first: what a process owner edits most (the other groups stay one click away).
const PANEL_LAYOUT = { open: true, groups: { general: { open: true }, minyi: { open: true }, condition: { open: true },
  script: { open: true }, defaultFlow: { open: true } } };

export const moddleExtensions = { spiffworkflow: spiffworkflowModdle, camunda: camundaModdle };

const MinyiPanelModule = {
  __init__: ['minyiPropertiesProvider', 'minyiPalette'],
  minyiPropertiesProvider: ['type', MinyiPropertiesProvider],
  minyiPalette: ['type', MinyiPalette],
};

// The properties panel (preact) renders in a microtask and runs its effects after the next frame
// (at most ~100 ms when no frame comes, as in a hidden tab): wait for both.
function settled() {
  return new Promise((done) => {
    const timer = setTimeout(done, 150);
    requestAnimationFrame(() => setTimeout(() => {
      clearTimeout(timer);
      done();
    }, 0));
  });
}

// The whole diagram in view, but right of the palette (which floats over the canvas's left edge), never
// enlarged beyond 100 %.
function fitBesidePalette(modeler, container) {
  const canvas = modeler.get('canvas');
  canvas.zoom('fit-viewport', 'auto');
  const { inner, outer } = canvas.viewbox();
  const palette = container.querySelector('.djs-palette');
  const left = (palette ? palette.offsetLeft + palette.offsetWidth : 0) + 24;
  if (!inner.width || !inner.height || outer.width <= left + 48) {
    return;
  }
  const scale = Math.min((outer.width - left - 24) / inner.width, (outer.height - 48) / inner.height, 1);
  const width = outer.width / scale;
  const height = outer.height / scale;
  canvas.viewbox({ x: inner.x - left / scale, y: inner.y + inner.height / 2 - height / 2, width, height });
}

function resolve(target) {
  return typeof target === 'string' ? document.querySelector(target) : target;
}

async function create(options) {
  const locale = options.locale === 'en' ? 'en' : 'zh';
  const container = resolve(options.container);
  const panel = resolve(options.panel);
  if (!container) {
    throw new Error('MinyiModeler.create: no container');
  }
  container.classList.add('minyi-modeler-canvas');
  if (panel) {
    panel.classList.add('minyi-modeler-panel');
  }
  const modules = [BpmnPropertiesPanelModule, BpmnPropertiesProviderModule, MinyiPanelModule, SimulationModule];
  if (locale === 'zh') {
    modules.push(ZhTranslateModule);
  }
  const modeler = new Modeler({
    container,
    propertiesPanel: panel ? { parent: panel, layout: PANEL_LAYOUT } : undefined,
    additionalModules: modules,
    moddleExtensions,
    minyi: { lanes: options.lanes || [], forms: options.forms || [], locale },
  });
  let result;
  try {
    await settled(); // the panel listens for the import and the selection only from its first effects on
    result = await modeler.importXML(options.xml || BLANK);
  } catch (err) {
    modeler.destroy();
    throw err;
  }
  fitBesidePalette(modeler, container);
  await settled();
  const loopRefs = keptLoopRefs(options.xml || BLANK);
  const kept = new Set(Object.values(loopRefs).flatMap((refs) => Object.values(refs)));
  const warnings = (result.warnings || []).filter(
    (w) => !kept.has((/^unresolved reference <(.*)>$/.exec(w.message || '') || [])[1]));
  return editor(modeler, warnings, loopRefs);
}

function editor(modeler, warnings, loopRefs) {
  const commandStack = modeler.get('commandStack');
  const eventBus = modeler.get('eventBus');
  const problems = new Problems(modeler);
  const listeners = { changed: [] };
  // The stack position (pinned diagram-js 15) tells "changed since saved" also across undo and redo.
  let savedIndex = commandStack._stackIdx;

  const isDirty = () => commandStack._stackIdx !== savedIndex;
  eventBus.on('commandStack.changed', () => {
    for (const fn of listeners.changed) {
      fn({ dirty: isDirty() });
    }
  });

  return {
    modeler,
    warnings,
    async getXML() {
      const { xml } = await modeler.saveXML({ format: true });
      return withLoopRefs(xml, loopRefs);
    },
    showProblems: (list) => problems.show(list),
    clearProblems: () => problems.clear(),
    select(elementId) {
      const element = modeler.get('elementRegistry').get(elementId);
      if (!element) {
        return false;
      }
      modeler.get('selection').select(element);
      if (element.parent) {
        modeler.get('canvas').scrollToElement(element);
      }
      return true;
    },
    settled,
    isDirty,
    markSaved() {
      savedIndex = commandStack._stackIdx;
    },
    on(event, fn) {
      if (!listeners[event]) {
        throw new Error(`MinyiModeler: no event '${event}' (known: ${Object.keys(listeners).join(', ')})`);
      }
      listeners[event].push(fn);
    },
    destroy: () => modeler.destroy(),
  };
}

export const MinyiModeler = { create };
window.MinyiModeler = MinyiModeler;
