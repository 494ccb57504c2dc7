// Live comment streams: the story's public events change the stream in place; a signed-in
// reader's own events and the desk's queue counts come from /live/me/.
// Without JavaScript, or with the stream refused, the page works as before (reload).
(function () {
  "use strict";

  // Texts in the page's language (the catalogue at /jsi18n/); English when it is missing.
  function gettext(text) {
    return window.gettext ? window.gettext(text) : text;
  }
  function ngettext(one, many, count) {
    const text = window.ngettext ? window.ngettext(one, many, count) : count === 1 ? one : many;
    return text.replace("%(count)s", String(count));
  }

  function follow(url, since, handlers, withCredentials) {
    let last = since || "";
    let source = null;
    let wait = 3000;
    function open() {
      const address = new URL(url, window.location.href);
      if (last) address.searchParams.set("since", last);
      source = new EventSource(address, { withCredentials: Boolean(withCredentials) });
      source.onopen = function () {
        wait = 3000;
      };
      Object.keys(handlers).forEach(function (name) {
        source.addEventListener(name, function (event) {
          if (event.lastEventId) last = event.lastEventId;
          handlers[name](JSON.parse(event.data || "{}"));
        });
      });
      source.onerror = function () {
        // The browser retries by itself while it can; once it gives up (the server
        // answered with an error, or is gone), start again and resume from the last id.
        // Each refusal in a row waits twice as long, up to a minute.
        if (source.readyState === EventSource.CLOSED) {
          window.setTimeout(open, wait);
          wait = Math.min(wait * 2, 60000);
        }
      };
    }
    open();
  }

  function stream() {
    return document.getElementById("comment-stream");
  }

  function fromHtml(html) {
    const template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  }

  function signedIn() {
    const el = stream();
    return Boolean(el && el.dataset.signedIn);
  }

  function refreshThread(threadId) {
    // Signed-in readers get their own controls (edit, their recommendation) from the server.
    const thread = document.getElementById("thread-" + threadId);
    if (!thread || !window.htmx) return;
    window.htmx.ajax("GET", "/comments/" + threadId + "/thread/", {
      target: thread,
      swap: "outerHTML",
    });
  }

  function reloadStream() {
    const el = stream();
    if (!el || !window.htmx) return;
    const url = el.dataset.streamUrl + "?sort=" + encodeURIComponent(el.dataset.sort || "");
    window.htmx.ajax("GET", url, { target: "#comment-stream", swap: "outerHTML" });
  }

  function setCount(count) {
    document.querySelectorAll("[data-live-count]").forEach(function (el) {
      el.textContent = count ? ngettext("%(count)s comment", "%(count)s comments", count) : gettext("Comments");
    });
  }

  function mark(el) {
    el.classList.add("comment--new");
    window.setTimeout(function () {
      el.classList.remove("comment--new");
    }, 4000);
  }

  function announce(text) {
    const region = document.getElementById("stream-live-status");
    if (region) region.textContent = text;
  }

  function newCommentsBar() {
    const el = stream();
    let bar = document.getElementById("stream-new");
    if (!bar) {
      bar = document.createElement("button");
      bar.type = "button";
      bar.id = "stream-new";
      bar.className = "stream__new button button--secondary";
      bar.dataset.count = "0";
      bar.addEventListener("click", reloadStream);
      const list = el.querySelector(".stream__list");
      list.parentNode.insertBefore(bar, list);
    }
    const count = Number(bar.dataset.count) + 1;
    bar.dataset.count = String(count);
    bar.textContent = ngettext("%(count)s new comment — show", "%(count)s new comments — show", count);
  }

  function addComment(data) {
    const el = stream();
    const shown = document.getElementById("comment-" + data.id);
    if (!el || (shown && !shown.classList.contains("comment--pending"))) return;
    if (shown) leaveReview(shown); // my own comment, approved: it joins the stream
    setCount(data.count);
    const comment = fromHtml(data.html);
    if (data.parent_id) {
      const thread = document.getElementById("thread-" + data.thread_id);
      if (!thread) return; // a thread not on this page: it shows when opened
      let replies = thread.querySelector(".thread__replies");
      if (!replies) {
        replies = document.createElement("ol");
        replies.className = "thread__replies";
        thread.insertBefore(replies, thread.querySelector(".thread__more"));
      }
      const item = document.createElement("li");
      item.appendChild(comment);
      replies.appendChild(item);
      mark(comment);
      announce(gettext("New reply posted."));
      if (signedIn()) refreshThread(data.thread_id);
      return;
    }
    if ((el.dataset.sort || "newest") !== "newest") {
      newCommentsBar();
      return;
    }
    const item = document.createElement("li");
    item.className = "stream__item";
    const thread = document.createElement("div");
    thread.className = "thread";
    thread.id = "thread-" + data.id;
    thread.appendChild(comment);
    item.appendChild(thread);
    el.querySelector(".stream__list").prepend(item);
    const empty = el.querySelector(".stream__empty");
    if (empty) empty.remove();
    mark(comment);
    announce(gettext("New comment posted."));
    if (signedIn()) refreshThread(data.id);
  }

  function changeComment(data) {
    const current = document.getElementById("comment-" + data.id);
    if (!current) return;
    current.replaceWith(fromHtml(data.html));
    const thread = document.getElementById("comment-" + data.id).closest(".thread");
    if (signedIn() && thread) refreshThread(thread.id.replace("thread-", ""));
  }

  function removeComment(data) {
    setCount(data.count);
    const current = document.getElementById("comment-" + data.id);
    if (!current) return;
    if (data.html) {
      current.replaceWith(fromHtml(data.html));
      return;
    }
    const thread = current.closest(".thread");
    if (thread && thread.id === "thread-" + data.id) {
      (thread.closest(".stream__item") || thread).remove();
    } else {
      (current.closest("li") || current).remove();
    }
  }

  function recommended(data) {
    const count = document.querySelector("#recommend-" + data.id + " .recommend__count");
    if (!count) return;
    count.textContent = data.count;
    count.setAttribute(
      "aria-label",
      data.count + " recommendation" + (data.count === 1 ? "" : "s"),
    );
  }

  function myComment(data) {
    // One of my comments moved on (approved, rejected, deleted): it leaves "awaiting review";
    // if approved, the story's public event shows it in the stream.
    if (data.status === "pending") return;
    const waiting = document.querySelector("#comment-" + data.id + ".comment--pending");
    if (waiting) leaveReview(waiting);
  }

  function leaveReview(waiting) {
    const section = waiting.closest(".stream__awaiting");
    waiting.remove();
    if (section && !section.querySelector(".comment--pending")) section.remove();
  }

  function queueCounts(counts) {
    Object.keys(counts).forEach(function (queue) {
      document.querySelectorAll('[data-queue-count="' + queue + '"]').forEach(function (el) {
        el.textContent = counts[queue];
      });
    });
  }

  function unreadNotifications(data) {
    // The masthead's count of unread notifications.
    const link = document.querySelector(".masthead__notifications");
    if (!link) return;
    let count = document.getElementById("unread-count");
    if (!count) {
      count = document.createElement("span");
      count.id = "unread-count";
      count.className = "masthead__count";
      link.append(" ", count);
    }
    count.textContent = data.unread;
    count.setAttribute("aria-label", data.unread + " unread");
  }

  function start() {
    const el = stream();
    if (el && el.dataset.live) {
      follow(el.dataset.live, el.dataset.liveSince, {
        comment: addComment,
        "comment-changed": changeComment,
        "comment-removed": removeComment,
        recommend: recommended,
        reload: reloadStream,
      });
    }
    // One private stream per page: the comment stream's (it resumes from the page's
    // moment), else the masthead's. It needs the reader's cookie, which a newsroom's
    // frame does not have.
    const me =
      window.self === window.top &&
      (document.querySelector("#comment-stream[data-live-me]") ||
        document.querySelector("[data-live-me]"));
    if (me) {
      follow(me.dataset.liveMe, me.dataset.liveMeSince, {
        "my-comment": myComment,
        queues: queueCounts,
        notification: unreadNotifications,
      }, true);
    }
  }

  if (window.EventSource) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
    else start();
  }
})();
