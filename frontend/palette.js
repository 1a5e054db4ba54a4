// Palette entries for what a process owner draws most: a user task, and a user task made from each template
// (its name and clock already set). Placing one is a single command, so one undo removes it.

import { TEMPLATES, templateLabel } from './templates.js';

export default class MinyiPalette {
  constructor(palette, create, elementFactory, bpmnFactory, translate, config) {
    this.create = create;
    this.elementFactory = elementFactory;
    this.bpmnFactory = bpmnFactory;
    this.translate = translate;
    this.locale = (config && config.locale) || 'zh';
    palette.registerProvider(500, this);
  }

  getPaletteEntries() {
    const entries = {
      'minyi-create.user-task': this.entry('Create user task', () => this.userTask()),
    };
    for (const template of TEMPLATES) {
      entries[`minyi-create.${template.id}`] = this.entry(templateLabel(template, this.locale), () => this.userTask(template),
        template.short);
    }
    return (existing) => ({ ...existing, ...entries });
  }

  entry(title, makeShape, short) {
    const start = (event) => this.create.start(event, makeShape());
    const entry = { group: 'activity', className: 'bpmn-icon-user-task', title: this.translate(title),
      action: { dragstart: start, click: start } };
    if (short) { // a tag on the icon tells the template entries apart (the full name is the tooltip)
      const tag = document.createElement('div');
      tag.className = 'entry minyi-template-entry';
      tag.setAttribute('draggable', 'true');
      tag.dataset.short = short;
      entry.html = tag.outerHTML;
    }
    return entry;
  }

  userTask(template) {
    if (!template) {
      return this.elementFactory.createShape({ type: 'bpmn:UserTask' });
    }
    const factory = this.bpmnFactory;
    const values = Object.entries(template.properties).map(([name, value]) => factory.create('spiffworkflow:Property', { name, value }));
    const list = factory.create('spiffworkflow:Properties', { values });
    const extensionElements = factory.create('bpmn:ExtensionElements', { values: [list] });
    values.forEach((value) => { value.$parent = list; });
    list.$parent = extensionElements;
    const name = typeof template.name === 'string' ? template.name : template.name[this.locale] || template.name.en;
    const businessObject = factory.create('bpmn:UserTask', { name, extensionElements });
    extensionElements.$parent = businessObject;
    return this.elementFactory.createShape({ type: 'bpmn:UserTask', businessObject });
  }
}
MinyiPalette.$inject = ['palette', 'create', 'elementFactory', 'bpmnFactory', 'translate', 'config.minyi'];
