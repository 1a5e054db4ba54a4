// The case's process in the bpmn-js viewer, with its current and completed steps marked.
(function () {
  var box = document.getElementById('diagram');
  if (!box || typeof BpmnJS === 'undefined') { return; }
  var xml = box.dataset.xml;
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
    box.setAttribute('data-ready', 'true');
  }).catch(function (err) {
    box.textContent = err.message;
    box.setAttribute('data-ready', 'error');
  });
})();
