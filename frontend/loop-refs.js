/**
 * SpiffWorkflow writes a multi-instance's collections as variable names:
 *   <bpmn:loopDataInputRef>offices</bpmn:loopDataInputRef>
 * BPMN makes these references to data items, so bpmn-moddle drops a name that no element of the file carries, and
 * a diagram loaded and saved would lose what its multi-instance reads and writes. The names are kept aside when the
 * diagram is imported and written back into the XML the editor exports.
 */
const BPMN = 'http://www.omg.org/spec/BPMN/20100524/MODEL';
const REFS = ['loopDataInputRef', 'loopDataOutputRef'];
// what may follow each reference inside multiInstanceLoopCharacteristics (BPMN 2.0 schema order)
const AFTER = {
  loopDataInputRef: ['loopDataOutputRef', 'inputDataItem', 'outputDataItem', 'complexBehaviorDefinition',
    'completionCondition'],
  loopDataOutputRef: ['inputDataItem', 'outputDataItem', 'complexBehaviorDefinition', 'completionCondition'],
};

function parse(xml) {
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  return doc.getElementsByTagName('parsererror').length ? null : doc;
}

/** {activity id: {loopDataInputRef?: name, loopDataOutputRef?: name}} of the refs naming no element of the file. */
export function keptLoopRefs(xml) {
  const doc = parse(xml || '');
  const kept = {};
  if (!doc) {
    return kept;
  }
  const ids = new Set(Array.from(doc.querySelectorAll('[id]'), (e) => e.getAttribute('id')));
  for (const loop of doc.getElementsByTagNameNS(BPMN, 'multiInstanceLoopCharacteristics')) {
    const activity = loop.parentElement && loop.parentElement.getAttribute('id');
    for (const child of loop.children) {
      const name = (child.textContent || '').trim();
      if (activity && child.namespaceURI === BPMN && REFS.includes(child.localName) && name && !ids.has(name)) {
        kept[activity] = { ...kept[activity], [child.localName]: name };
      }
    }
  }
  return kept;
}

/** The exported XML with the kept refs written back where the export left them out. */
export function withLoopRefs(xml, kept) {
  if (!Object.keys(kept).length) {
    return xml;
  }
  const doc = parse(xml);
  if (!doc) {
    return xml;
  }
  let changed = false;
  for (const [activity, refs] of Object.entries(kept)) {
    const owner = doc.querySelector(`[id="${CSS.escape(activity)}"]`);
    const loop = owner && Array.from(owner.children).find(
      (c) => c.namespaceURI === BPMN && c.localName === 'multiInstanceLoopCharacteristics');
    if (!loop) {
      continue; // the owner removed the activity or its multi-instance
    }
    for (const ref of REFS) {
      if (!refs[ref] || Array.from(loop.children).some((c) => c.localName === ref)) {
        continue;
      }
      const element = doc.createElementNS(BPMN, loop.prefix ? `${loop.prefix}:${ref}` : ref);
      element.textContent = refs[ref];
      const next = Array.from(loop.children).find((c) => AFTER[ref].includes(c.localName));
      loop.insertBefore(element, next || null);
      changed = true;
    }
  }
  return changed ? new XMLSerializer().serializeToString(doc) : xml;
}
