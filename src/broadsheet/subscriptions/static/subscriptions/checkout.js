// Payment forms: after the first submit, the button is disabled so a double click sends once.
// (The server would still make one subscription and one charge; this spares the wait.)
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-once")) return;
  if (form.dataset.sent === "yes") {
    event.preventDefault();
    return;
  }
  form.dataset.sent = "yes";
  form.setAttribute("aria-busy", "true");
  for (const button of form.querySelectorAll("button[type=submit]")) {
    button.dataset.label = button.textContent;
    button.textContent = window.gettext ? window.gettext("Working…") : "Working…";
    button.setAttribute("aria-disabled", "true");
  }
});
// A page restored from the back/forward cache gets its buttons back.
window.addEventListener("pageshow", () => {
  for (const form of document.querySelectorAll("form[data-once]")) {
    delete form.dataset.sent;
    form.removeAttribute("aria-busy");
    for (const button of form.querySelectorAll("button[data-label]")) {
      button.textContent = button.dataset.label;
      button.removeAttribute("aria-disabled");
    }
  }
});
