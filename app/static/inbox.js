// Claim and release swap the inbox in place (htmx): keep the keyboard where it was. After the swap, focus the
// button of the same task's row (now Release after a claim, Claim after a release), or, when the row left the
// list, the list itself.
(function () {
  var acted = null;
  function remember(event) {
    var row = event.target && event.target.closest && event.target.closest('tr[id^="task-"]');
    acted = row ? row.id : null;
  }
  function restore() {
    if (!acted) { return; }
    var row = document.getElementById(acted);
    var target = row && row.querySelector('td.actions button');
    if (!target) {
      target = document.getElementById('inbox');
      if (target) { target.setAttribute('tabindex', '-1'); }
    }
    if (target) { target.focus(); }
    acted = null;
  }
  document.body.addEventListener('htmx:before:request', remember);
  document.body.addEventListener('htmx:after:settle', restore);
})();
