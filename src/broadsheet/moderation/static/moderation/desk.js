// Keyboard shortcuts for the moderation desk. Every action is a plain form without them.
//   j / k  next / previous comment      a  approve      r  reject (type the reason, Enter)
//   f      feature / unfeature          x  select for a bulk action      o  open the item
//   u      undo the decision just made (offered for a few seconds)
// The current item is marked by the server before any key is pressed (the first item), and
// the keys always act on the item that is marked: clicking or tabbing into an item marks it.
(() => {
  const items = () => Array.from(document.querySelectorAll("[data-desk-item]"));
  let current = -1;

  const mark = (index) => {
    const list = items();
    if (!list.length) return null;
    current = Math.max(0, Math.min(index, list.length - 1));
    list.forEach((el, i) => {
      const on = i === current;
      el.classList.toggle("desk-item--current", on);
      el.tabIndex = on ? 0 : -1;
      if (on) el.setAttribute("aria-current", "true");
      else el.removeAttribute("aria-current");
    });
    return list[current];
  };

  const focusItem = (index) => {
    const el = mark(index);
    if (!el) return;
    el.focus({ preventScroll: true });
    el.scrollIntoView({ block: "nearest" });
  };

  // The marked item; focus inside another item (a click, Tab) moves the mark there first.
  const currentItem = () => {
    const list = items();
    const active = document.activeElement && document.activeElement.closest("[data-desk-item]");
    if (active && list.indexOf(active) !== current) mark(list.indexOf(active));
    if (current < 0) {
      const marked = list.findIndex((el) => el.classList.contains("desk-item--current"));
      if (marked >= 0) mark(marked);
    }
    return current >= 0 ? list[current] : null;
  };

  const typing = (target) =>
    target instanceof HTMLElement &&
    (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    const item = items().length ? currentItem() : null;
    const press = (key, scope) => {
      const control = scope && scope.querySelector(`[data-key="${key}"]`);
      if (!control) return false;
      event.preventDefault();
      if (control instanceof HTMLInputElement) control.focus();
      else control.click();
      return true;
    };
    switch (event.key) {
      case "j": if (item) { event.preventDefault(); focusItem(current + 1); } break;
      case "k": if (item) { event.preventDefault(); focusItem(current - 1); } break;
      case "a": press("a", item); break;
      case "r": press("r", item); break;
      case "f": press("f", item); break;
      case "o": press("o", item); break;
      // The current item's undo, else the bulk decision's (shown above the list).
      case "u": press("u", item) || press("u", document.querySelector(".desk-queue")); break;
      case "x": {
        const box = item && item.querySelector("input[type=checkbox]");
        if (box) { event.preventDefault(); box.checked = !box.checked; }
        break;
      }
      default: break;
    }
  });

  document.addEventListener("focusin", (event) => {
    const target = event.target instanceof Element ? event.target : null;
    const item = target && target.closest("[data-desk-item]");
    if (item) mark(items().indexOf(item));
  });
  document.addEventListener("click", (event) => {
    const target = event.target instanceof Element ? event.target : null;
    const item = target && target.closest("[data-desk-item]");
    if (item && !target.closest("a, button, input, select, textarea, label")) {
      focusItem(items().indexOf(item));
    }
  });

  // "Undo" goes away after its few seconds (the server refuses a late one anyway).
  const expireUndo = (root) => {
    root.querySelectorAll("form.desk-undo[data-undo-seconds]").forEach((form) => {
      if (form.dataset.expiring) return;
      form.dataset.expiring = "1";
      const seconds = Number(form.dataset.undoSeconds) || 10;
      setTimeout(() => form.remove(), seconds * 1000);
    });
  };

  // After htmx replaces a decided item, keep the mark on it so j moves on from there.
  document.addEventListener("htmx:afterSwap", (event) => {
    const swapped = event.target instanceof HTMLElement ? event.target : null;
    const list = items();
    const id = swapped && swapped.id;
    const index = id ? list.findIndex((el) => el.id === id) : -1;
    if (index >= 0) focusItem(index);
    expireUndo(document);
  });

  // Word lists: filter as the moderator types; lists with a match open, the counts follow.
  const filterTerms = (input) => {
    const words = input.value.trim().toLowerCase();
    document.querySelectorAll("[data-term-list]").forEach((list) => {
      let shown = 0;
      list.querySelectorAll("[data-term]").forEach((li) => {
        const hit = !words || li.dataset.term.includes(words);
        li.hidden = !hit;
        if (hit) shown += 1;
      });
      const count = list.querySelector("[data-term-count]");
      if (count) count.textContent = String(shown);
      if (words) list.open = shown > 0;
    });
  };
  document.addEventListener("input", (event) => {
    if (event.target instanceof HTMLInputElement && event.target.matches("[data-term-filter]")) {
      filterTerms(event.target);
    }
  });

  document.addEventListener("DOMContentLoaded", () => {
    expireUndo(document);
    const list = items();
    if (!list.length) return;
    const marked = list.findIndex((el) => el.classList.contains("desk-item--current"));
    focusItem(marked >= 0 ? marked : 0);
  });
})();
