// EKS Access Console: the only script of our own. htmx does the rest; validation lives on the server.
(function () {
  "use strict";

  function meta(name) {
    var element = document.querySelector('meta[name="' + name + '"]');
    return element ? element.getAttribute("content") : null;
  }

  // Every state-changing htmx request carries the CSRF token as a header.
  document.addEventListener("htmx:configRequest", function (event) {
    var token = meta("_csrf");
    var header = meta("_csrf_header");
    if (token && header && event.detail.verb !== "get") {
      event.detail.headers[header] = token;
    }
  });

  // Nothing fails silently: errors on htmx requests land in the page-level error slot.
  document.addEventListener("htmx:responseError", function (event) {
    var slot = document.getElementById("page-error");
    if (!slot) { return; }
    var status = event.detail.xhr.status;
    slot.textContent = status === 403
      ? "You may not do this (403). Reload the page to see why."
      : "The console could not complete this (" + status + "). Nothing was changed; try again.";
    slot.focus();
  });
  // Powerful actions confirm first in a <dialog> (UI.md). An element naming a dialog opens it instead
  // of following its link or submitting (without script, the link's confirmation page or the plain
  // submit remains); an element marked as a closer inside the dialog closes it. One spelling each:
  // data-opens-dialog="<dialog id>" and data-closes-dialog.
  document.addEventListener("click", function (event) {
    var opener = event.target.closest("[data-opens-dialog]");
    if (opener) {
      var dialog = document.getElementById(opener.getAttribute("data-opens-dialog"));
      if (dialog && typeof dialog.showModal === "function") {
        event.preventDefault();
        dialog.showModal();
      }
      return;
    }
    var closer = event.target.closest("[data-closes-dialog]");
    var open = closer && closer.closest("dialog");
    if (open) {
      event.preventDefault();
      open.close();
    }
  });
  // The new-request form shows the fields the chosen kind takes (without script, all of them show).
  function showKindFields() {
    var kind = document.getElementById("request-kind");
    if (!kind) { return; }
    document.querySelectorAll(".request-kind-fields").forEach(function (group) {
      group.hidden = group.getAttribute("data-kinds").split(" ").indexOf(kind.value) < 0;
    });
  }
  document.addEventListener("change", function (event) {
    if (event.target && event.target.id === "request-kind") { showKindFields(); }
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", showKindFields);
  } else {
    showKindFields();
  }
  document.addEventListener("htmx:sendError", function () {
    var slot = document.getElementById("page-error");
    if (!slot) { return; }
    slot.textContent = "The console cannot be reached. Check your connection and try again.";
    slot.focus();
  });

})();
