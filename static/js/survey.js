// The survey works without this script. With it: errors take the focus; the page and its
// assets stay available offline (service worker); a survey sent without a connection is kept
// on this device (outbox.js) and sent when the connection returns, removed only once the
// server confirmed it.
(function () {
  "use strict";
  var summary = document.querySelector(".survey-errors");
  if (summary) {
    summary.focus();
    // Each link shows its whole question (legend or label), the focus on its first answer.
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var input = link && document.getElementById(link.getAttribute("href").slice(1));
      if (!input) return;
      event.preventDefault();
      var box = input.closest("fieldset, .field");
      (box && box.querySelector("legend, label") || input).scrollIntoView({ block: "start" });
      input.focus({ preventScroll: true });
    });
  }

  var form = document.querySelector("form.survey");
  var status = document.querySelector(".outbox");
  if (!form || !status || !window.indexedDB || !("serviceWorker" in navigator)) return;
  var say = function (key, count) {
    status.textContent = status.getAttribute("data-" + key).replace("{n}", count);
    status.hidden = false;
  };
  var flushing = false;

  navigator.serviceWorker.register(status.getAttribute("data-worker")).then(function () {
    return navigator.serviceWorker.ready;
  }).then(function (registration) {
    navigator.serviceWorker.addEventListener("message", function () {
      document.documentElement.setAttribute("data-offline-ready", "");
    });
    var assets = Array.prototype.map.call(document.querySelectorAll("link[rel=stylesheet], script[src]"), function (el) {
      return el.href || el.src;
    });
    registration.active.postMessage({ cache: [location.pathname].concat(assets) });
  });

  function cookie(name) {
    var found = document.cookie.split("; ").filter(function (part) { return part.indexOf(name + "=") === 0; })[0];
    return found ? found.slice(name.length + 1) : "";
  }
  function tokenIn(html) {
    var match = /name="token" value="([^"]+)"/.exec(html);
    return match ? match[1] : "";
  }
  function fresh(url) {  // a new form from the server: a new token and, if needed, a CSRF cookie
    return fetch(url, { credentials: "same-origin" }).then(function (r) { return r.text(); }).then(tokenIn);
  }

  // "stored", "wait" (the server asks for a pause) or "again".
  function send(item) {
    var ready = cookie("csrftoken") ? Promise.resolve() : fresh(item.url);
    return ready.then(function () {
      var csrf = cookie("csrftoken");
      var body = new URLSearchParams();
      item.fields.forEach(function (f) { body.append(f[0], f[0] === "token" ? item.token : f[1]); });
      body.append("csrfmiddlewaretoken", csrf);
      return fetch(item.url, { method: "POST", body: body, credentials: "same-origin", headers: { "X-CSRFToken": csrf } });
    }).then(function (response) {
      if (response.redirected && /\/terima-kasih\/$/.test(new URL(response.url).pathname)) return "stored";
      if (response.status === 429) {  // the kiosk's interval or the address limit: try again then
        window.setTimeout(flush, 1000 * (parseInt(response.headers.get("Retry-After"), 10) || 30));
        return "wait";
      }
      return response.text().then(function (html) {
        item.tries += 1;
        item.token = tokenIn(html) || item.token;  // a refused token comes back renewed
        return Outbox.put(item).then(function () { return "again"; });
      });
    });
  }

  function flush() {
    if (flushing || !navigator.onLine) return Promise.resolve();
    flushing = true;
    var sent = 0;
    var step = function (items) {
      var item = items.shift();
      if (!item) return null;
      if (item.tries >= 3) return step(items);  // the server keeps refusing it: shown, not resent
      var used = items.some(function (other) { return other.token === item.token && other.id < item.id; });
      return (used ? Promise.resolve(true) : Outbox.isUsed(item.token)).then(function (taken) {
        if (!taken) return null;
        return fresh(item.url).then(function (token) { item.token = token; return Outbox.put(item); });
      }).then(function () { return send(item); }).then(function (result) {
        if (result === "stored") return Outbox.done(item).then(function () { sent += 1; return step(items); });
        if (result === "again") return step([item].concat(items));
        return null;
      });
    };
    return Outbox.all().then(step).catch(function () {}).then(function () {
      flushing = false;
      return show(sent);
    });
  }

  function show(sent) {
    return Outbox.all().then(function (items) {
      var waiting = items.filter(function (item) { return item.tries < 3; }).length;
      if (items.length > waiting) say("refused", items.length - waiting);
      else if (waiting === 1) say("one", 1);
      else if (waiting) say("many", waiting);
      else if (sent) say("sent", sent);
      else if (/tersimpan=1/.test(location.search)) say("one", 1);
      else status.hidden = true;
    });
  }

  function complete() {
    var names = {};
    Array.prototype.forEach.call(form.querySelectorAll("input[type=radio]"), function (r) {
      names[r.name] = names[r.name] || r.checked;
    });
    var age = parseInt(form.elements.age.value, 10);
    return Object.keys(names).every(function (n) { return names[n]; }) && age >= 15 && age <= 100 &&
      form.elements.education.value && form.elements.occupation.value;
  }

  form.addEventListener("submit", function (event) {
    if (navigator.onLine) return;  // sent as usual; if the connection drops the worker keeps it
    event.preventDefault();
    if (!complete()) return say("incomplete", 0);
    var fields = [];
    new FormData(form).forEach(function (value, name) { if (name !== "csrfmiddlewaretoken") fields.push([name, value]); });
    Outbox.save(location.pathname, fields).then(function () {
      form.reset();
      window.scrollTo(0, 0);
      return show(0);
    }).then(function () { say("saved", 0); });
  });
  window.addEventListener("online", flush);
  window.setInterval(flush, 30000);
  show(0).then(flush);
})();
