// Small enhancements; every page works without them.
document.addEventListener("DOMContentLoaded", () => {
  // A form marked data-confirm asks before it is sent.
  document.body.addEventListener("submit", (event) => {
    const form = event.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });

  // Sent back to "#comments" (after choosing a display name, say): the cursor waits in
  // the comment box. The box may arrive after the page (an htmx swap), so look again then.
  if (window.location.hash === "#comments") {
    const focusComposer = () => {
      const box = document.querySelector("#comments .stream__gate textarea");
      if (!box) return false;
      box.focus();
      return true;
    };
    // After the browser's own scroll to the anchor, which would take the focus away again.
    window.addEventListener("load", () => window.setTimeout(() => {
      if (!focusComposer()) {
        const later = () => { if (focusComposer()) document.body.removeEventListener("htmx:afterSettle", later); };
        document.body.addEventListener("htmx:afterSettle", later);
      }
    }, 0));
  }
});
