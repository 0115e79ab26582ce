// The main menu's groups are <details name="menu">: they open and close without
// this file, one at a time. With it, Escape or a click elsewhere closes the open one.
(function () {
  "use strict";
  function openMenu() {
    return document.querySelector(".main-nav details[open]");
  }
  document.addEventListener("keydown", function (event) {
    var menu = openMenu();
    if (event.key !== "Escape" || !menu) return;
    menu.open = false;
    menu.querySelector("summary").focus();
  });
  document.addEventListener("click", function (event) {
    var menu = openMenu();
    if (menu && !menu.contains(event.target)) menu.open = false;
  });
})();
