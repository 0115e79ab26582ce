// A field shown only for one choice of another field (data-when-name, data-when-value):
// the server renders the right ones for the page's own choice; this switches them as
// the choice changes. A hidden field is disabled too, so that it is not sent.
(function () {
  "use strict";
  function update(form) {
    form.querySelectorAll("[data-when-name]").forEach(function (wrapper) {
      var control = form.elements[wrapper.dataset.whenName];
      var shown = Boolean(control) && control.value === wrapper.dataset.whenValue;
      wrapper.hidden = !shown;
      wrapper.querySelectorAll("input, select, textarea").forEach(function (input) {
        input.disabled = !shown;
      });
    });
  }
  document.addEventListener("change", function (event) {
    var form = event.target.form;
    if (form && form.querySelector("[data-when-name='" + event.target.name + "']")) update(form);
  });
})();
