// The case's process in the bpmn-js viewer, with its current and completed steps marked. Enlarged, the diagram
// takes the page's width and a tall box at its natural size (a phone scrolls it sideways); zoom buttons beside it.
(function () {
  function tools(canvas) {
    var card = box.closest('section');
    var enlarge = document.getElementById('diagram-enlarge');
    function on(id, fn) { var b = document.getElementById(id); if (b) { b.addEventListener('click', fn); } }
    on('diagram-zoom-in', function () { canvas.zoom(canvas.zoom() * 1.25); });
    on('diagram-zoom-out', function () { canvas.zoom(canvas.zoom() / 1.25); });
    on('diagram-fit', function () { canvas.zoom('fit-viewport'); });
    on('diagram-enlarge', function () {
      var full = enlarge.getAttribute('aria-pressed') !== 'true';
      enlarge.setAttribute('aria-pressed', full ? 'true' : 'false');
      card.classList.toggle('diagram-full', full);
      canvas.resized();
      if (full) {  // natural size, from the diagram's top left corner
        var box = canvas.viewbox();
        var outer = box.outer;
        canvas.viewbox({ x: box.inner.x - 20, y: box.inner.y - 20, width: outer.width, height: outer.height });
      } else { canvas.zoom('fit-viewport'); }
    });
  }
  var box = document.getElementById('diagram');
  if (!box || typeof BpmnJS === 'undefined') { return; }
  var BPMN = 'http://www.omg.org/spec/BPMN/20100524/MODEL';
  var CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
  // The shipped diagrams name elements "English 中文": the page shows the part in its language (as the
  // server's title_label does), and each lane by the role that works in it instead of its lane group's key.
  function localized(name, locale) {
    var at = name.search(CJK);
    if (at <= 0) { return name; }
    return locale === 'zh' ? name.slice(at).trim() : name.slice(0, at).trim();
  }
  function forReaders(source, locale, lanes) {
    if (!locale) { return source; }
    var doc = new DOMParser().parseFromString(source, 'application/xml');
    if (doc.getElementsByTagName('parsererror').length) { return source; }
    Array.prototype.forEach.call(doc.getElementsByTagNameNS(BPMN, '*'), function (el) {
      var name = el.getAttribute('name');
      if (!name) { return; }
      var shown = el.localName === 'lane' && lanes[name] ? lanes[name] : localized(name, locale);
      el.setAttribute('name', shown);
    });
    return new XMLSerializer().serializeToString(doc);
  }
  var xml = forReaders(box.dataset.xml, box.dataset.locale, JSON.parse(box.dataset.lanes || '{}'));
  var viewer = new BpmnJS({ container: box });
  window.minyiViewer = viewer;
  viewer.importXML(xml).then(function () {
    var canvas = viewer.get('canvas');
    var registry = viewer.get('elementRegistry');
    canvas.zoom('fit-viewport');
    function mark(ids, cls) {
      ids.split(' ').filter(Boolean).forEach(function (id) {
        if (registry.get(id)) { canvas.addMarker(id, cls); }
      });
    }
    mark(box.dataset.completed, 'minyi-completed');
    mark(box.dataset.current, 'minyi-current');
    tools(canvas);
    box.setAttribute('data-ready', 'true');
  }).catch(function (err) {
    // bpmn-js says "no diagram to display" for a file without a layout (BPMNDiagram): say it in the page's words
    box.textContent = /no diagram to display/i.test(err.message) ? box.dataset.noDrawing
      : box.dataset.unreadable + ' ' + err.message;
    box.setAttribute('data-ready', 'error');
  });
})();
