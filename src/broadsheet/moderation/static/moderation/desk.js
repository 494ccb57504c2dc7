// Keyboard shortcuts for the moderation desk. Every action is a plain form without them.
//   j / k  next / previous comment      a  approve      r  reject (type the reason, Enter)
//   f      feature / unfeature          x  select for a bulk action      o  open the item
(() => {
  const items = () => Array.from(document.querySelectorAll("[data-desk-item]"));
  let current = -1;

  const focusItem = (index) => {
    const list = items();
    if (!list.length) return;
    current = Math.max(0, Math.min(index, list.length - 1));
    list.forEach((el, i) => el.classList.toggle("desk-item--current", i === current));
    list[current].focus({ preventScroll: true });
    list[current].scrollIntoView({ block: "nearest" });
  };

  const currentItem = () => {
    const list = items();
    const active = document.activeElement && document.activeElement.closest("[data-desk-item]");
    if (active) current = list.indexOf(active);
    return current >= 0 ? list[current] : null;
  };

  const typing = (target) =>
    target instanceof HTMLElement &&
    (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    if (!items().length) return;
    const item = currentItem();
    const press = (key) => {
      const control = item && item.querySelector(`[data-key="${key}"]`);
      if (!control) return false;
      event.preventDefault();
      if (control instanceof HTMLInputElement) control.focus();
      else control.click();
      return true;
    };
    switch (event.key) {
      case "j": event.preventDefault(); focusItem(current + 1); break;
      case "k": event.preventDefault(); focusItem(current - 1); break;
      case "a": press("a"); break;
      case "r": press("r"); break;
      case "f": press("f"); break;
      case "o": press("o"); break;
      case "x": {
        const box = item && item.querySelector("input[type=checkbox]");
        if (box) { event.preventDefault(); box.checked = !box.checked; }
        break;
      }
      default: break;
    }
  });

  // After htmx replaces a decided item, keep the focus on it so j moves on from there.
  document.addEventListener("htmx:afterSwap", (event) => {
    const swapped = event.target instanceof HTMLElement ? event.target : null;
    const list = items();
    const index = swapped ? list.findIndex((el) => el.id === swapped.id) : -1;
    if (index >= 0) focusItem(index);
  });

  document.addEventListener("DOMContentLoaded", () => {
    if (items().length) focusItem(0);
  });
})();
