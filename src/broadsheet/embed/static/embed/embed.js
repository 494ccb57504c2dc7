// Broadsheet's comments on a newsroom's page. Put this script and one element on the page:
//   <div data-broadsheet-site="KEY" data-broadsheet-story="PAGE-ID" data-url="…" data-title="…"
//        data-sso="TOKEN (optional)"></div>
//   <script src="https://comments.example.org/embed.js" async></script>
(function () {
  "use strict";
  var script = document.currentScript;
  var base = new URL(script.src).origin;

  function mount(element) {
    if (element.dataset.broadsheetMounted) return;
    element.dataset.broadsheetMounted = "true";
    var query = new URLSearchParams({
      site: element.dataset.broadsheetSite || "",
      id: element.dataset.broadsheetStory,
      url: element.dataset.url || location.href.split("#")[0],
      title: element.dataset.title || document.title,
    });
    // The fragment stays in the browser: the sign-in token never reaches a server's log.
    var fragment = new URLSearchParams({ origin: location.origin });
    if (element.dataset.sso) fragment.set("sso", element.dataset.sso);
    var frame = document.createElement("iframe");
    frame.src = base + "/embed/frame/?" + query + "#" + fragment;
    frame.title = "Comments";
    frame.setAttribute("scrolling", "no");
    frame.style.width = "100%";
    frame.style.border = "0";
    frame.style.height = "320px";
    element.appendChild(frame);

    window.addEventListener("message", function (event) {
      if (event.origin !== base || event.source !== frame.contentWindow) return;
      var data = event.data || {};
      if (data.type === "broadsheet:height" && typeof data.height === "number" && data.height > 0) {
        frame.style.height = Math.ceil(data.height) + "px";
      }
    });
    // The newsroom signs its reader in or out by setting or removing data-sso.
    new MutationObserver(function () {
      if (frame.contentWindow) {
        frame.contentWindow.postMessage(
          { type: "broadsheet:sso", token: element.dataset.sso || null }, base
        );
      }
    }).observe(element, { attributes: true, attributeFilter: ["data-sso"] });
  }

  function mountAll() {
    document.querySelectorAll("[data-broadsheet-story]").forEach(mount);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mountAll);
  else mountAll();
})();
