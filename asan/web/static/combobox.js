/* An ARIA 1.2 combobox over an htmx-filled list of suggestions (WAI-ARIA APG "list
 * autocomplete"): the input keeps the focus; ArrowDown / ArrowUp move the active option
 * (aria-activedescendant, aria-selected), Enter opens it, Escape closes the list (a second
 * Escape clears the box), Home / End stay with the text. htmx still fetches the list: this file
 * only wires the keyboard and the ARIA states, so the markup works with any list the server
 * sends (<ul role="listbox"> of <li role="option" data-href>).
 */
(function () {
  "use strict";

  function setup(input) {
    var holder = document.getElementById(input.dataset.comboboxHolder);
    var status = document.getElementById(input.dataset.comboboxStatus);
    if (!holder) { return; }

    function listbox() { return holder.querySelector('[role="listbox"]'); }
    function options() {
      var list = listbox();
      return list ? Array.prototype.slice.call(list.querySelectorAll('[role="option"]')) : [];
    }
    function active() {
      var id = input.getAttribute("aria-activedescendant");
      return id ? document.getElementById(id) : null;
    }
    function activate(option) {
      options().forEach(function (o) { o.setAttribute("aria-selected", "false"); });
      if (option) {
        option.setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", option.id);
        option.scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }
    function expanded() { return input.getAttribute("aria-expanded") === "true"; }
    function open(show) {
      var list = listbox();
      var has = show && options().length > 0;
      if (list) { list.hidden = !has; }
      input.setAttribute("aria-expanded", has ? "true" : "false");
      if (!has) { activate(null); }
    }
    function go(option) {
      var href = option && option.dataset.href;
      if (href) { window.location.assign(href); }
    }

    holder.addEventListener("htmx:afterSwap", function () {
      activate(null);
      open(document.activeElement === input);
      var list = listbox();
      if (status) { status.textContent = list ? (list.dataset.status || "") : ""; }
    });
    holder.addEventListener("click", function (event) {
      var option = event.target.closest('[role="option"]');
      if (option) { go(option); }
    });
    input.addEventListener("keydown", function (event) {
      var all = options();
      var current = active();
      var index = current ? all.indexOf(current) : -1;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!all.length) { return; }
        event.preventDefault();
        if (!expanded()) { open(true); }
        var step = event.key === "ArrowDown" ? 1 : -1;
        var next = index < 0 ? (step > 0 ? 0 : all.length - 1) : (index + step + all.length) % all.length;
        activate(all[next]);
      } else if (event.key === "Enter") {
        if (expanded() && current) {
          event.preventDefault(); // the active option, not the form's search
          go(current);
        }
      } else if (event.key === "Escape") {
        if (expanded()) {
          event.preventDefault();
          open(false);
        } else if (input.value) {
          event.preventDefault();
          input.value = "";
        }
      }
    });
    // a click on an option keeps the focus in the box (mousedown below), so blur means away
    input.addEventListener("blur", function () { open(false); });
    input.addEventListener("focus", function () { open(true); });
    holder.addEventListener("mousedown", function (event) {
      if (event.target.closest('[role="option"]')) { event.preventDefault(); }
    });
  }

  function init() {
    var inputs = document.querySelectorAll('input[role="combobox"][data-combobox-holder]');
    Array.prototype.forEach.call(inputs, setup);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
