// A what-if run's page while the scheduler works on it: looked at again every few seconds until it is done.
(function () {
  var run = document.getElementById('what-if-run');
  if (!run || (run.dataset.state !== 'queued' && run.dataset.state !== 'running')) { return; }
  setTimeout(function () { window.location.reload(); }, 3000);
})();
