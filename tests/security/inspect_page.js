// What the page's DOM would let hostile text do, as a list of findings (empty: nothing).
() => {
  const found = [];
  const urlAttributes = ["href", "src", "action", "formaction", "xlink:href", "background",
    "poster", "data", "srcdoc", "dynsrc", "lowsrc", "ping", "to", "values", "from"];
  // Browsers ignore these around and inside a URL's scheme.
  const ignored = /[\u0000-\u0020\u007f-\u00a0\u200b-\u200f\u2028-\u202f\ufeff]/g;
  const where = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "");
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const value = attr.value.replace(ignored, "").toLowerCase();
      const shown = attr.value.slice(0, 60);
      if (name.startsWith("on")) found.push(`${where(el)} has ${name}="${shown}"`);
      if (urlAttributes.includes(name) && /^(javascript|vbscript|data):/.test(value)) {
        found.push(`${where(el)} ${name}="${shown}"`);
      }
    }
  }
  const embedded = "iframe, frame, object, embed, base, meta[http-equiv]";
  for (const el of document.querySelectorAll(embedded)) found.push(`${where(el)} element`);
  for (const el of document.querySelectorAll("script")) {
    const src = el.getAttribute("src") || "";
    if (!el.nonce && !src.startsWith("/static/")) {
      found.push(`script element without nonce: ${el.outerHTML.slice(0, 80)}`);
    }
  }
  return found.concat(window.__violations || []);
}
