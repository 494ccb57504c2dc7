// Small enhancements; every page works without them.
document.addEventListener("DOMContentLoaded", () => {
  // A form marked data-confirm asks before it is sent.
  document.body.addEventListener("submit", (event) => {
    const form = event.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });
});
