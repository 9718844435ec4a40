// soegov's own page behaviour, kept out of the HTML so the Content-Security-Policy can forbid inline script.
document.addEventListener("click", function (event) {
  var target = event.target instanceof Element ? event.target.closest("[data-print]") : null;
  if (target) {
    window.print();
  }
});
// A list's "select all" box (data-check-all="pick") ticks or clears every box of that name in its form.
document.addEventListener("change", function (event) {
  var box = event.target instanceof HTMLInputElement ? event.target : null;
  if (!box || !box.dataset.checkAll || !box.form) {
    return;
  }
  box.form.querySelectorAll('input[type=checkbox][name="' + box.dataset.checkAll + '"]').forEach(function (each) {
    each.checked = box.checked;
  });
});
