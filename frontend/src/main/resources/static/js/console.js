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
  // Powerful actions confirm first in a <dialog>: [data-opens-dialog=ID] opens it, [data-closes-dialog] closes it.
  document.addEventListener("click", function (event) {
    var opener = event.target.closest("[data-opens-dialog]");
    if (opener) {
      var dialog = document.getElementById(opener.getAttribute("data-opens-dialog"));
      if (dialog && typeof dialog.showModal === "function") { dialog.showModal(); }
      return;
    }
    var closer = event.target.closest("[data-closes-dialog]");
    if (closer) {
      var open = closer.closest("dialog");
      if (open) { open.close(); }
    }
  });
  document.addEventListener("htmx:sendError", function () {
    var slot = document.getElementById("page-error");
    if (slot) { slot.textContent = "The console cannot be reached. Check your connection and try again."; }
  });
  // Confirmation dialogs: a link with data-dialog="id" opens <dialog id> instead of its confirmation page
  // (the page remains for browsers without JavaScript); data-close-dialog inside closes it.
  document.addEventListener("click", function (event) {
    var opener = event.target.closest("[data-dialog]");
    if (opener) {
      var dialog = document.getElementById(opener.getAttribute("data-dialog"));

  // Confirmation dialogs: a button with data-confirm-dialog="id" opens that <dialog> instead of
  // submitting; the dialog's own submit button (form="…") submits. Without script, the button submits.
    var opener = event.target.closest("[data-confirm-dialog]");
      var dialog = document.getElementById(opener.getAttribute("data-confirm-dialog"));
      if (dialog && typeof dialog.showModal === "function") {
        event.preventDefault();
        dialog.showModal();
      }
      return;
    }
    var closer = event.target.closest("[data-close-dialog]");
    var open = closer && closer.closest("dialog");
    if (open) {
      event.preventDefault();
      open.close();
    if (closer && closer.closest("dialog")) {
      closer.closest("dialog").close();
    }
  });
})();
