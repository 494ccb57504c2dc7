// Comment counts on a newsroom's front page:
//   <a href="…" data-broadsheet-site="KEY" data-broadsheet-count="PAGE-ID">Comments</a>
//   <script src="https://comments.example.org/embed/counts.js" async></script>
(function () {
  "use strict";
  var base = new URL(document.currentScript.src).origin;

  function label(count) {
    return count === 1 ? "1 comment" : count + " comments";
  }

  function fill() {
    var bySite = {};
    document.querySelectorAll("[data-broadsheet-count]").forEach(function (element) {
      var site = element.dataset.broadsheetSite || "";
      (bySite[site] = bySite[site] || []).push(element);
    });
    Object.keys(bySite).forEach(function (site) {
      var elements = bySite[site];
      var ids = Array.from(new Set(elements.map(function (e) { return e.dataset.broadsheetCount; })));
      for (var start = 0; start < ids.length; start += 100) {
        var query = new URLSearchParams({ site: site });
        ids.slice(start, start + 100).forEach(function (id) { query.append("id", id); });
        fetch(base + "/embed/counts/?" + query, { credentials: "omit" })
          .then(function (response) { return response.ok ? response.json() : { counts: {} }; })
          .then(function (data) {
            elements.forEach(function (element) {
              var count = data.counts[element.dataset.broadsheetCount];
              if (typeof count === "number") element.textContent = label(count);
            });
          })
          .catch(function () {});
      }
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fill);
  else fill();
})();
