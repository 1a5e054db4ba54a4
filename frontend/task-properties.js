// Minyi's task properties (formKey, due, warn_share, escalate_after, alert) read from and written to the XML.
//
// Where a property already lives it stays: a Camunda 7 file keeps its camunda:formKey attribute and its
// camunda:properties entries; everything else is written the way processes/*.bpmn write it:
//   <bpmn:extensionElements><spiffworkflow:properties>
//     <spiffworkflow:property name="due" value="..." /></spiffworkflow:properties></bpmn:extensionElements>
// Every change goes through the command stack as one command, so one undo takes it back.

import { getBusinessObject, is } from 'bpmn-js/lib/util/ModelUtil';

export const MINYI_PROPERTIES = ['formKey', 'due', 'warn_share', 'escalate_after', 'alert'];

const MULTI = 'properties-panel.multi-command-executor';
const UPDATE = 'element.updateModdleProperties';

// A pool's properties are its process's (Minyi reads process-wide defaults from the bpmn:process).
function ownerOf(element) {
  const bo = getBusinessObject(element);
  return is(bo, 'bpmn:Participant') && bo.get('processRef') ? bo.get('processRef') : bo;
}

function extensionValues(bo) {
  const ext = bo.get('extensionElements');
  return ext ? ext.get('values') : [];
}

function propertyLists(bo) {
  return extensionValues(bo).filter((v) => is(v, 'spiffworkflow:Properties') || is(v, 'camunda:Properties'));
}

function findEntry(bo, name) {
  for (const list of propertyLists(bo)) {
    const entry = list.get('values').find((p) => p.get('name') === name);
    if (entry) {
      return { list, entry };
    }
  }
  return null;
}

function hasCamundaFormKey(bo) {
  return (is(bo, 'bpmn:UserTask') || is(bo, 'bpmn:StartEvent')) && !!bo.get('camunda:formKey');
}

/** The value of one of Minyi's properties on a task (or a process, or a pool's process), '' when it has none. */
export function getTaskProperty(element, name) {
  const bo = ownerOf(element);
  if (name === 'formKey' && hasCamundaFormKey(bo)) {
    return bo.get('camunda:formKey');
  }
  const found = findEntry(bo, name);
  return (found && found.entry.get('value')) || '';
}

/** Set several properties at once ({name: value}; '' or null removes one) as one undoable command. */
export function setTaskProperties(injector, element, values) {
  const commands = [];
  const bo = ownerOf(element);
  const state = new Draft(injector, element, bo, commands);
  for (const [name, raw] of Object.entries(values)) {
    const value = raw == null ? '' : String(raw).trim();
    if (name === 'formKey' && hasCamundaFormKey(bo)) {
      commands.push(update(element, bo, { 'camunda:formKey': value || undefined }));
    } else {
      state.set(name, value);
    }
  }
  state.flush();
  if (commands.length) {
    injector.get('commandStack').execute(MULTI, commands);
  }
}

function update(element, moddleElement, properties) {
  return { cmd: UPDATE, context: { element, moddleElement, properties } };
}

// The new lists are built up in memory and written once at the end (flush), so several properties
// changed together become one consistent set of updates.
class Draft {
  constructor(injector, element, bo, commands) {
    this.factory = injector.get('bpmnFactory');
    this.element = element;
    this.bo = bo;
    this.commands = commands;
    this.ext = bo.get('extensionElements');
    this.extValues = this.ext ? [...this.ext.get('values')] : null;
    this.lists = new Map(); // list moddle element -> its new values
  }

  valuesOf(list) {
    if (!this.lists.has(list)) {
      this.lists.set(list, [...list.get('values')]);
    }
    return this.lists.get(list);
  }

  set(name, value) {
    const found = findEntry(this.bo, name) || this.findNew(name);
    if (found && value) {
      if (found.entry.get('value') !== value) {
        this.commands.push(update(this.element, found.entry, { value }));
      }
    } else if (found) {
      const values = this.valuesOf(found.list);
      values.splice(values.indexOf(found.entry), 1);
    } else if (value) {
      const list = this.spiffList();
      const entry = this.factory.create('spiffworkflow:Property', { name, value });
      entry.$parent = list;
      this.valuesOf(list).push(entry);
    }
  }

  findNew(name) {
    for (const [list, values] of this.lists) {
      const entry = values.find((p) => p.get('name') === name);
      if (entry) {
        return { list, entry };
      }
    }
    return null;
  }

  spiffList() {
    const existing = propertyLists(this.bo).find((l) => is(l, 'spiffworkflow:Properties'));
    if (existing) {
      return existing;
    }
    for (const list of this.lists.keys()) {
      if (is(list, 'spiffworkflow:Properties')) {
        return list;
      }
    }
    if (!this.ext) {
      this.ext = this.factory.create('bpmn:ExtensionElements', { values: [] });
      this.ext.$parent = this.bo;
      this.extValues = [];
      this.newExt = true;
    }
    const list = this.factory.create('spiffworkflow:Properties', { values: [] });
    list.$parent = this.ext;
    this.extValues.push(list);
    this.lists.set(list, []);
    this.extChanged = true;
    return list;
  }

  flush() {
    for (const [list, values] of this.lists) {
      if (values.length === 0 && this.extValues.includes(list)) {
        this.extValues.splice(this.extValues.indexOf(list), 1); // an empty list says nothing
        this.extChanged = true;
      } else if (values.length || list.get('values').length) {
        this.commands.push(update(this.element, list, { values }));
      }
    }
    if (this.newExt) {
      this.ext.values = this.extValues;
      this.commands.unshift(update(this.element, this.bo, { extensionElements: this.ext }));
    } else if (this.extChanged && this.extValues.length === 0) {
      this.commands.push(update(this.element, this.bo, { extensionElements: undefined }));
    } else if (this.extChanged) {
      this.commands.push(update(this.element, this.ext, { values: this.extValues }));
    }
  }
}
