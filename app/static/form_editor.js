// The form editor's live preview: the server checks the YAML and renders the form as a handler sees it.
(function () {
  var form = document.getElementById('form-source-form');
  if (!form) { return; }
  var source = document.getElementById('form-source');
  var timer = null;
  var sent = 0;
  function refresh() {
    var mine = ++sent;
    fetch(form.dataset.previewUrl, { method: 'POST', credentials: 'same-origin', body: new FormData(form) })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        if (mine !== sent) { return; }  // a later keystroke's answer wins
        var box = document.getElementById('form-preview');
        box.outerHTML = html;
        document.getElementById('form-preview').setAttribute('data-ready', String(mine));
      });
  }
  source.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 300);
  });
})();
