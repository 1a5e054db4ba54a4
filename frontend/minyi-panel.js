// The properties panel's Minyi parts, added to the standard BPMN groups (general, documentation, …):
//   user tasks  a "Minyi" group (办理设置): template, form, due, warn_share, escalate_after, alert, and who does
//               it: camunda:candidateGroups, camunda:candidateUsers, camunda:assignee (as Camunda 7 writes them)
//   processes   the same group with the process-wide warn_share and escalate_after (on a pool: its process)
//   lanes       the name is chosen from the known groups (a lane is the group that does its tasks)
//   flows       the condition of a flow leaving a gateway (a Python expression)
//   gateways    the default flow
//   scripts     the script of a script task
// Nothing here writes Camunda or Zeebe attributes Minyi ignores; it writes the three Camunda 7 attributes it reads.

import { h } from '@bpmn-io/properties-panel/preact';
import { useMemo } from '@bpmn-io/properties-panel/preact/hooks';
import { Group, SelectEntry, TextFieldEntry, TextAreaEntry, isSelectEntryEdited, isTextFieldEntryEdited,
  isTextAreaEntryEdited } from '@bpmn-io/properties-panel';
import { useService } from 'bpmn-js-properties-panel';
import { getBusinessObject, is, isAny } from 'bpmn-js/lib/util/ModelUtil';

import { getTaskProperty, setTaskProperties } from './task-properties.js';
import { TEMPLATES, templateLabel, templatesFor } from './templates.js';

const GATEWAYS = ['bpmn:ExclusiveGateway', 'bpmn:InclusiveGateway', 'bpmn:ComplexGateway'];

export default class MinyiPropertiesProvider {
  constructor(propertiesPanel, injector, config) {
    this.injector = injector;
    this.config = config || {};
    propertiesPanel.registerProvider(500, this); // after the BPMN provider: its groups are there to adjust
  }

  getGroups(element) {
    return (groups) => {
      const translate = this.injector.get('translate');
      if (is(element, 'bpmn:UserTask')) {
        groups.splice(1, 0, group('minyi', translate('Minyi'), taskEntries(element)));
      }
      if (is(element, 'bpmn:Process') || (is(element, 'bpmn:Participant') && element.businessObject.processRef)) {
        groups.splice(1, 0, group('minyi', translate('Minyi: defaults for every task'), processEntries(element)));
      }
      if (is(element, 'bpmn:Lane')) {
        replaceEntry(groups, 'general', 'name', { id: 'name', element, component: LaneName, isEdited: isSelectEntryEdited });
      }
      if (is(element, 'bpmn:SequenceFlow') && isAny(element.source, GATEWAYS) && !isDefaultFlow(element)) {
        groups.splice(1, 0, group('condition', translate('Condition'),
          [{ id: 'condition', element, component: Condition, isEdited: isTextAreaEntryEdited }]));
      }
      if (isAny(element, GATEWAYS) && element.outgoing.length > 1) {
        groups.splice(1, 0, group('defaultFlow', translate('Default flow'),
          [{ id: 'defaultFlow', element, component: DefaultFlow, isEdited: isSelectEntryEdited }]));
      }
      if (is(element, 'bpmn:ScriptTask')) {
        groups.splice(1, 0, group('script', translate('Script'),
          [{ id: 'script', element, component: Script, isEdited: isTextAreaEntryEdited }]));
      }
      return groups;
    };
  }
}
MinyiPropertiesProvider.$inject = ['propertiesPanel', 'injector', 'config.minyi'];

function group(id, label, entries) {
  return { id, label, entries, component: Group };
}

function replaceEntry(groups, groupId, entryId, entry) {
  const found = groups.find((g) => g.id === groupId);
  const index = found ? found.entries.findIndex((e) => e.id === entryId) : -1;
  if (index >= 0) {
    found.entries[index] = entry;
  }
}

function taskEntries(element) {
  const entries = [
    { id: 'minyi-form', element, component: FormSelect, isEdited: isSelectEntryEdited },
    { id: 'minyi-due', element, component: PropertyField, name: 'due', isEdited: isTextFieldEntryEdited },
    { id: 'minyi-warn_share', element, component: PropertyField, name: 'warn_share', isEdited: isTextFieldEntryEdited },
    { id: 'minyi-escalate_after', element, component: PropertyField, name: 'escalate_after', isEdited: isTextFieldEntryEdited },
    { id: 'minyi-alert', element, component: PropertyField, name: 'alert', isEdited: isTextFieldEntryEdited },
    ...Object.keys(WHO).map((name) => (
      { id: `minyi-${name}`, element, component: WhoField, name, isEdited: isTextFieldEntryEdited })),
  ];
  if (templatesFor(element).length) {
    entries.unshift({ id: 'minyi-template', element, component: TemplateSelect, isEdited: () => false });
  }
  return entries;
}

// Process-wide defaults: a user task that sets none of these takes the process's.
function processEntries(element) {
  return ['warn_share', 'escalate_after'].map((name) => (
    { id: `minyi-${name}`, element, component: PropertyField, name, isEdited: isTextFieldEntryEdited }));
}

function useMinyi() {
  return { injector: useService('injector'), translate: useService('translate'), config: useService('config.minyi') || {} };
}

function withCurrent(options, current, translate) {
  if (current && !options.some((o) => o.value === current)) {
    options.push({ value: current, label: `${current} (${translate('not in the list')})` });
  }
  return options;
}

function FormSelect({ element, id }) {
  const { injector, translate, config } = useMinyi();
  const getValue = () => getTaskProperty(element, 'formKey');
  const getOptions = () => withCurrent([{ value: '', label: translate('(no form)') },
    ...(config.forms || []).map((f) => ({ value: f.id, label: f.title ? `${f.title} · ${f.id}` : f.id }))],
  getValue(), translate);
  return h(SelectEntry, { element, id, label: translate('Form'), getValue, getOptions,
    setValue: (value) => setTaskProperties(injector, element, { formKey: value }) });
}

const FIELDS = {
  due: { label: 'Due (time limit)', hint: 'e.g. working_days(10), P3D, earliest(working_days(10), case_due)' },
  warn_share: { label: 'Warn at share of the time', hint: 'a number from 0 to 1; 0.8 when empty', validate: validShare },
  escalate_after: { label: 'Escalate after the breach', hint: 'e.g. working_days(3) (the default); none for no escalation' },
  alert: { label: 'Alert at once when', hint: "e.g. level in ('I', 'II'): everyone who may take the task is notified as it opens" },
};

function validShare(value) {
  const text = (value || '').trim();
  if (!text || !/^\d*\.?\d+$/.test(text)) {
    return text ? 'a number from 0 to 1' : null;
  }
  return Number(text) >= 0 && Number(text) <= 1 ? null : 'a number from 0 to 1';
}

function PropertyField({ element, id, name }) {
  const { injector, translate } = useMinyi();
  const field = FIELDS[name];
  // One validate function per entry: the panel re-validates whenever its identity changes.
  const validate = useMemo(() => field.validate && ((value) => field.validate(value) && translate(field.validate(value))),
    [field, translate]);
  return h(TextFieldEntry, {
    element, id, label: translate(field.label), description: translate(field.hint),
    debounce: useService('debounceInput'), validate,
    getValue: () => getTaskProperty(element, name),
    setValue: (value, error) => error || setTaskProperties(injector, element, { [name]: value }),
  });
}

// Who does the task, beside its lane (app/cases/groups.py reads them): Camunda 7's attributes, kept where
// Camunda's modeler writes them, so a file goes back and forth between the two.
const WHO = {
  candidateGroups: { label: 'Candidate groups', hint: 'e.g. handler@*, head@ENV or a lane name; the first that reaches a group takes the task' },
  candidateUsers: { label: 'Candidate users', hint: 'user names, comma-separated, or ${expression}: one is given the task, several are each offered it' },
  assignee: { label: 'Assignee', hint: 'a user name or ${expression} in the task data: the task is theirs as it opens' },
};

function WhoField({ element, id, name }) {
  const { injector, translate } = useMinyi();
  const attribute = `camunda:${name}`;
  return h(TextFieldEntry, {
    element, id, label: translate(WHO[name].label), description: translate(WHO[name].hint),
    debounce: useService('debounceInput'),
    getValue: () => getBusinessObject(element).get(attribute) || '',
    setValue: (value) => injector.get('modeling').updateModdleProperties(element, getBusinessObject(element),
      { [attribute]: (value || '').trim() || undefined }),
  });
}

function TemplateSelect({ element, id }) {
  const { injector, translate, config } = useMinyi();
  const getOptions = () => [{ value: '', label: translate('(choose a template)') },
    ...templatesFor(element).map((t) => ({ value: t.id, label: templateLabel(t, config.locale) }))];
  const setValue = (value) => {
    const template = TEMPLATES.find((t) => t.id === value);
    if (template) {
      setTaskProperties(injector, element, { due: '', warn_share: '', escalate_after: '', ...template.properties });
    }
  };
  return h(SelectEntry, { element, id, label: translate('Apply a template'), getValue: () => '', getOptions, setValue });
}

function LaneName({ element, id }) {
  const modeling = useService('modeling');
  const { translate, config } = useMinyi();
  const getValue = () => getBusinessObject(element).get('name') || '';
  const getOptions = () => withCurrent([{ value: '', label: translate('(choose a group)') },
    ...(config.lanes || []).map((l) => ({ value: l.name, label: l.label ? `${l.label} · ${l.name}` : l.name }))],
  getValue(), translate);
  return h(SelectEntry, { element, id, label: translate('Group (lane name)'), getValue, getOptions,
    setValue: (value) => modeling.updateProperties(element, { name: value || undefined }) });
}

function isDefaultFlow(flow) {
  const source = flow.source && getBusinessObject(flow.source);
  return !!source && source.get('default') === getBusinessObject(flow);
}

function Condition({ element, id }) {
  const modeling = useService('modeling');
  const bpmnFactory = useService('bpmnFactory');
  const translate = useService('translate');
  const getValue = () => {
    const expression = getBusinessObject(element).get('conditionExpression');
    return (expression && expression.get('body')) || '';
  };
  const setValue = (value) => {
    const text = (value || '').trim();
    const expression = text ? bpmnFactory.create('bpmn:FormalExpression', { body: text }) : undefined;
    modeling.updateProperties(element, { conditionExpression: expression });
  };
  return h(TextAreaEntry, { element, id, label: translate('Condition expression'), getValue, setValue,
    description: translate("a Python expression, e.g. triage_decision == 'reject'"),
    debounce: useService('debounceInput'), monospace: true, autoResize: true });
}

function DefaultFlow({ element, id }) {
  const modeling = useService('modeling');
  const translate = useService('translate');
  const bo = getBusinessObject(element);
  const getValue = () => (bo.get('default') && bo.get('default').id) || '';
  const getOptions = () => [{ value: '', label: translate('(none)') }, ...element.outgoing.map((flow) => {
    const target = flow.target && getBusinessObject(flow.target);
    const name = flow.businessObject.name || (target && (target.name || target.id));
    return { value: flow.id, label: name ? `${name} · ${flow.id}` : flow.id };
  })];
  const setValue = (value) => {
    const flow = element.outgoing.find((f) => f.id === value);
    modeling.updateProperties(element, { default: flow ? flow.businessObject : undefined });
  };
  return h(SelectEntry, { element, id, label: translate('Default flow'), getValue, getOptions, setValue });
}

function Script({ element, id }) {
  const modeling = useService('modeling');
  const translate = useService('translate');
  return h(TextAreaEntry, { element, id, label: translate('Script (Python)'), monospace: true, autoResize: true,
    rows: 6, debounce: useService('debounceInput'),
    getValue: () => getBusinessObject(element).get('script') || '',
    setValue: (value) => modeling.updateProperties(element, { script: value || undefined }) });
}
