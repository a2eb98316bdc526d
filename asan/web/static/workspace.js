// The workspace's file forms (form[data-upload]): a drop zone around the ordinary file input,
// the size check before anything is sent, and the upload sent by XHR with a <progress> bar.
// Without this script the same forms post normally (the server checks the size again).
(function () {
  "use strict";

  function bind(form) {
    var zone = form.querySelector("[data-dropzone]");
    if (!zone || form.getAttribute("data-bound")) return;
    form.setAttribute("data-bound", "1");
    var input = zone.querySelector("input[type=file]");
    var chosen = zone.querySelector("[data-chosen]");
    var tooLarge = zone.querySelector("[data-too-large]");
    var box = zone.querySelector("[data-progress-box]");
    var bar = zone.querySelector("[data-progress]");
    var text = zone.querySelector("[data-progress-text]");
    var busy = false;

    function file() { return input.files && input.files.length ? input.files[0] : null; }

    function check() {
      var f = file();
      var over = !!f && f.size > parseInt(form.getAttribute("data-max-bytes"), 10);
      tooLarge.hidden = !over;
      if (over) input.setAttribute("aria-invalid", "true"); else input.removeAttribute("aria-invalid");
      chosen.textContent = f ? zone.getAttribute("data-chosen-text").replace("{name}", f.name) : "";
      return !over;
    }

    function show(percent, note) {
      box.hidden = false;
      bar.value = percent;
      bar.textContent = percent + " %";
      text.textContent = percent + " %" + (note ? " · " + note : "");
    }

    function refreshed(page) {
      // the document page again: its new file list, and a fresh client mutation id
      var id = form.getAttribute("data-refresh");
      var list = page.getElementById(id);
      var mine = document.getElementById(id);
      if (list && mine) mine.replaceWith(document.importNode(list, true));
      var fresh = page.querySelector("#" + form.id + " input[name=client_mutation_id]");
      var old = form.querySelector("input[name=client_mutation_id]");
      if (fresh && old) old.value = fresh.value;
      input.value = "";
      chosen.textContent = "";
    }

    function refused(page) {
      // the server's page with its messages next to the fields replaces this one's main
      var main = page.querySelector("main");
      var here = document.querySelector("main");
      if (!main || !here) return;
      var copy = document.importNode(main, true);
      here.replaceWith(copy);
      bindAll();
      copy.focus();
    }

    function send() {
      if (busy) return;
      busy = true;
      show(0);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) show(Math.round((e.loaded * 100) / e.total));
      });
      xhr.addEventListener("load", function () {
        busy = false;
        var page = new DOMParser().parseFromString(xhr.responseText, "text/html");
        if (xhr.status >= 200 && xhr.status < 300) {
          show(100, zone.getAttribute("data-done"));
          if (form.getAttribute("data-refresh")) refreshed(page);
          else window.location.assign(xhr.responseURL);
          return;
        }
        refused(page);
      });
      xhr.addEventListener("error", function () {
        busy = false;
        text.textContent = zone.getAttribute("data-failed");
      });
      xhr.send(new FormData(form));
    }

    input.addEventListener("change", check);
    zone.addEventListener("dragover", function (e) {
      e.preventDefault();
      zone.classList.add("dragover");
    });
    zone.addEventListener("dragleave", function () { zone.classList.remove("dragover"); });
    zone.addEventListener("drop", function (e) {
      e.preventDefault();
      zone.classList.remove("dragover");
      if (!e.dataTransfer || !e.dataTransfer.files.length) return;
      input.files = e.dataTransfer.files;
      // on a document's page a dropped file goes at once; a registration waits for its card
      if (check() && form.getAttribute("data-refresh")) send();
    });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      if (check()) send();
    });
  }

  function bindAll() {
    var forms = document.querySelectorAll("form[data-upload]");
    for (var i = 0; i < forms.length; i++) bind(forms[i]);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", bindAll);
  else bindAll();
})();
