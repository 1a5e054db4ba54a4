// The receipt: copy the number and code, print the page.
(function () {
  var copy = document.getElementById("copy"), copied = document.getElementById("copied");
  if (copy && navigator.clipboard) {
    copy.hidden = false;
    copy.addEventListener("click", function () {
      navigator.clipboard.writeText(copy.dataset.copy).then(function () { copied.textContent = copy.dataset.done; });
    });
  }
  var print = document.getElementById("print");
  if (print) {
    print.hidden = false;
    print.addEventListener("click", function () { window.print(); });
  }
})();
