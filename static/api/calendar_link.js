// The calendar link page: a "Copy the link" button, shown only where the browser can copy.
(function () {
  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy-target"));
    if (!field || !navigator.clipboard) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        button.textContent = button.getAttribute("data-copied");
      });
    });
  });
  document.querySelectorAll("[data-calendar-url]").forEach(function (field) {
    field.addEventListener("focus", function () { field.select(); });
  });
})();
