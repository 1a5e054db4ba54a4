// Drives a running migration from the page: one short request per step of a few cases, until none is left.
(function () {
  var card = document.getElementById('progress-card');
  if (!card) { return; }
  var bar = document.getElementById('progress');
  var text = document.getElementById('progress-text');
  var token = document.querySelector('meta[name="csrf-token"]').content;
  function step() {
    fetch(card.dataset.stepUrl, { method: 'POST', credentials: 'same-origin',
                                  headers: { 'Accept': 'application/json', 'Content-Type': 'application/json', 'X-CSRFToken': token },
                                  body: '{}' })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (r) {
        if (!r.ok) { text.textContent = (r.body.error && r.body.error.message) || 'error'; window.location.reload(); return; }
        bar.value = r.body.done;
        text.textContent = r.body.done + ' / ' + r.body.total;
        if (r.body.status === 'running') { step(); } else { window.location.reload(); }
      })
      .catch(function (err) { text.textContent = err.message; });
  }
  step();
})();
