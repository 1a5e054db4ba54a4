// A form with data-confirm asks before it is sent (no inline handlers: the pages' Content-Security-Policy forbids them).
document.addEventListener('submit', function (event) {
  var form = event.target;
  if (form && form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
}, true);
