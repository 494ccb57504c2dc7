// Inside the frame on a newsroom's page. Third-party cookies are blocked there, so the
// reader's session is a token kept in this page's memory and sent as a header; the
// newsroom's sign-in token arrives in the address's fragment (never sent to a server)
// or, later, by postMessage from the page around the frame.
(function () {
  "use strict";
  var body = document.body;
  var allowed = JSON.parse(body.dataset.origins || "[]");
  var fragment = new URLSearchParams(location.hash.slice(1));
  var parentOrigin = allowed.indexOf(fragment.get("origin")) >= 0 ? fragment.get("origin") : null;
  var session = null;
  var leftForFix = false;
  history.replaceState(null, "", location.pathname + location.search);

  if (window.htmx) {
    // The story page's links keep its address; the frame's must not change.
    htmx.config.historyEnabled = false;
  }

  document.body.addEventListener("htmx:configRequest", function (event) {
    if (session) event.detail.headers.Authorization = "Bearer " + session;
  });

  // Texts in the frame's language (the catalogue at /jsi18n/); English when it is missing.
  function gettext(text) {
    return window.gettext ? window.gettext(text) : text;
  }

  function notice(text, kind) {
    var box = document.getElementById("embed-notice");
    if (!box) return;
    box.textContent = "";
    if (text) {
      var p = document.createElement("p");
      p.className = "message message--" + (kind || "info");
      p.textContent = text;
      box.appendChild(p);
    }
  }

  function refresh() {
    var url = body.dataset.streamUrl;
    if (url && window.htmx && document.getElementById("comment-stream")) {
      htmx.ajax("GET", url, { target: "#comment-stream", swap: "outerHTML" });
    }
  }

  function signIn(token) {
    if (!token) {
      if (session) {
        session = null;
        refresh();
      }
      return;
    }
    fetch("/embed/session/", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ site: body.dataset.site, token: token }),
      credentials: "omit",
    })
      .then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      })
      .then(function (result) {
        if (result.ok) {
          session = result.data.session;
          notice("");
        } else {
          session = null;
          notice(gettext("Signing in to the comments failed:") + " " + result.data.detail, "error");
        }
        refresh();
      })
      .catch(function () {
        notice(gettext("Signing in to the comments failed: the comment service could not be reached."), "error");
      });
  }

  // The frame is as tall as its content: the page around it sizes it.
  function tell(message) {
    if (parentOrigin && window.parent !== window) window.parent.postMessage(message, parentOrigin);
  }
  var lastHeight = 0;
  function reportHeight() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height !== lastHeight) {
      lastHeight = height;
      tell({ type: "broadsheet:height", height: height });
    }
  }
  new ResizeObserver(reportHeight).observe(document.documentElement);
  reportHeight();

  window.addEventListener("message", function (event) {
    if (event.source !== window.parent || event.origin !== parentOrigin) return;
    var data = event.data || {};
    if (data.type === "broadsheet:sso") signIn(data.token || null);
  });

  // Links that leave the stream open on Broadsheet in a new tab (or, for signing in and
  // subscribing, on the newsroom's own pages); the Profile link opens the display-name form
  // here.
  document.addEventListener("click", function (event) {
    var link = event.target instanceof Element ? event.target.closest("a[href]") : null;
    if (!link || link.hasAttribute("hx-get") || link.hasAttribute("hx-post")) return;
    var url = new URL(link.href, location.href);
    if (url.origin === location.origin && url.pathname === location.pathname && url.hash) return;
    if (url.origin === location.origin && url.pathname === "/accounts/profile/" && session) {
      event.preventDefault();
      htmx.ajax("GET", "/embed/display-name/", { target: ".stream__gate", swap: "innerHTML" });
      return;
    }
    var signInPage = body.dataset.signInUrl;
    if (signInPage && /^\/accounts\/sign-(in|up)\/$/.test(url.pathname)) {
      event.preventDefault();
      window.open(signInPage, "_top");
      return;
    }
    // The newsroom sells the plans its readers sign in with: its own page, in place.
    var subscribePage = body.dataset.subscribeUrl;
    if (subscribePage && url.origin === location.origin && url.pathname === "/plans/") {
      event.preventDefault();
      window.open(subscribePage, "_top");
      return;
    }
    event.preventDefault();
    leftForFix = true;
    window.open(url.href, "_blank", "noopener");
  });

  // Back from a fix in another tab (signed in, subscribed): show the stream as it is now.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && leftForFix) {
      leftForFix = false;
      refresh();
    }
  });
  document.body.addEventListener("broadsheet:refresh", refresh);

  signIn(fragment.get("sso"));
})();
