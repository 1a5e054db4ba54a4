// Lint problems on the diagram: a red marker on each element and a badge whose messages show on hover.
// A problem about a process that is drawn as a pool goes on the pool. Problems whose element is not in the
// diagram are handed back, for the page to list them on their own.

const MARKER = 'minyi-problem';
const OVERLAY = 'minyi-problems';

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
      this.overlays.add(element, OVERLAY, { position: { top: -10, right: 10 }, html: badge(messages) });
      this.marked.push(element.id);
    }
    return unplaced;
  }

  clear() {
    for (const id of this.marked) {
      if (this.registry.get(id)) {
        this.canvas.removeMarker(id, MARKER);
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

function badge(messages) {
  const root = document.createElement('div');
  root.className = 'minyi-problem-badge';
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
  root.title = messages.join('\n');
  root.appendChild(list);
  return root;
}
