// Two versions side by side, their differences coloured by MinyiDiff (bpmn-js-differ, app/static/build).
(function () {
  var box = document.getElementById('diff');
  if (!box || typeof MinyiDiff === 'undefined') { return; }
  var data = JSON.parse(document.getElementById('diff-data').textContent);
  MinyiDiff.show({ left: '#diff-old', right: '#diff-new', xmlOld: data.old, xmlNew: data['new'], locale: box.dataset.locale })
    .then(function (result) {
      box.dataset.changed = result.changed.join(' ');
      box.dataset.added = result.added.join(' ');
      box.dataset.removed = result.removed.join(' ');
      box.setAttribute('data-ready', 'true');
    })
    .catch(function (err) { box.textContent = err.message; box.setAttribute('data-ready', 'error'); });
})();
