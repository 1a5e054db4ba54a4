// Lint problems on the diagram: a red marker on each element and a badge whose messages show on hover.
// A problem about a process that is drawn as a pool goes on the pool. Problems whose element is not in the
// diagram are handed back, for the page to list them on their own.

const MARKER = 'minyi-problem';
const OVERLAY = 'minyi-problems';
const AREA = 'minyi-problem-area';
const AREAS = ['bpmn:Participant', 'bpmn:Lane', 'bpmn:SubProcess', 'bpmn:Group'];

export default class Problems {
  constructor(modeler) {
    this.canvas = modeler.get('canvas');
    this.overlays = modeler.get('overlays');
    this.registry = modeler.get('elementRegistry');
    this.marked = [];
  }

  show(problems) {
    this.clear();
    const byElement = new Map();
    const unplaced = [];
    for (const problem of problems || []) {
      const element = this.find(problem && problem.element);
      if (!element) {
        unplaced.push(problem);
        continue;
      }
      if (!byElement.has(element)) {
        byElement.set(element, []);
      }
      byElement.get(element).push(problem.message || '');
    }
    for (const [element, messages] of byElement) {
      this.canvas.addMarker(element, MARKER);
      if (AREAS.includes(element.type)) {
        this.canvas.addMarker(element, AREA); // outlined, not filled: a whole pool in pink hides its tasks
      }
      // scale: false keeps the badge and its messages readable at any zoom
      const position = AREAS.includes(element.type) ? { top: 6, left: 40 } : { top: -10, right: 10 };
      this.overlays.add(element, OVERLAY, { position, html: badge(messages, AREAS.includes(element.type)), scale: false });
      this.marked.push(element.id);
    }
    return unplaced;
  }

  clear() {
    for (const id of this.marked) {
      if (this.registry.get(id)) {
        this.canvas.removeMarker(id, MARKER);
        this.canvas.removeMarker(id, AREA);
      }
    }
    this.overlays.remove({ type: OVERLAY });
    this.marked = [];
  }

  find(id) {
    if (!id) {
      return null;
    }
    const element = this.registry.get(id);
    if (element && element.type !== 'label' && element.parent) { // the root has no place to show a badge
      return element;
    }
    return this.registry.find((e) => e.type === 'bpmn:Participant' &&
      e.businessObject.processRef && e.businessObject.processRef.id === id) || null;
  }
}

function badge(messages, area) {
  const root = document.createElement('div');
  root.className = area ? 'minyi-problem-badge minyi-problem-area-badge' : 'minyi-problem-badge';
  root.setAttribute('tabindex', '0');
  root.setAttribute('role', 'note');
  root.textContent = String(messages.length);
  const list = document.createElement('ul');
  list.className = 'minyi-problem-messages';
  for (const message of messages) {
    const item = document.createElement('li');
    item.textContent = message;
    list.appendChild(item);
  }
  root.setAttribute('aria-label', messages.join('; ')); // no title: the list below is the tooltip
  root.appendChild(list);
  return root;
}
