// Element templates: a ready-made clock for a kind of task, applied from the Minyi group in one undoable step.
// Each template sets due / warn_share / escalate_after as listed and clears those it does not list;
// the task's form and name stay as they are. Add a template by adding a JSON file here and to the list.
// (bpmn-js-element-templates was the other choice: its bindings write camunda:/zeebe: properties and a
// camunda:modelerTemplate attribute, none a spiffworkflow:property, and it brings the Camunda behaviours.)

import { is } from 'bpmn-js/lib/util/ModelUtil';

import headReview from './templates/head-review.json';
import statutoryTask from './templates/statutory-task.json';
import urgentHelp from './templates/urgent-help.json';

export const TEMPLATES = [statutoryTask, headReview, urgentHelp];

export function templatesFor(element) {
  return TEMPLATES.filter((t) => t.appliesTo.some((type) => is(element, type)));
}

export function templateLabel(template, locale) {
  const text = (value) => (typeof value === 'string' ? value : value[locale] || value.en);
  return template.description ? `${text(template.name)} — ${text(template.description)}` : text(template.name);
}
