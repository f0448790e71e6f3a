{% load static %}// The survey's service worker: the survey pages and their assets stay available offline once
// visited, and a survey whose sending fails for the connection is kept in the outbox (the page
// sends it when the connection returns).
"use strict";
importScripts("{% static 'js/outbox.js' %}");
var CACHE = "siputri-survey-1";
var PAGES = /^\/(survei|kios)\//;
var FORMS = /^\/(survei|kios)\/layanan\/[^/]+\/$/;

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

// A copy that can answer a navigation (a redirected response cannot).
function storable(response) {
  if (!response.redirected) return Promise.resolve(response);
  return response.blob().then(function (body) {
    return new Response(body, { status: response.status, headers: response.headers });
  });
}

function keep(request, response) {
  if (response.status !== 200) return Promise.resolve();
  return storable(response.clone()).then(function (copy) {
    return caches.open(CACHE).then(function (cache) { return cache.put(request, copy); });
  });
}

self.addEventListener("message", function (event) {
  var urls = (event.data && event.data.cache) || [];
  event.waitUntil(Promise.all(urls.map(function (url) {
    return fetch(url, { credentials: "same-origin" }).then(function (response) { return keep(url, response); });
  })).then(function () { event.source.postMessage("cached"); }, function () {}));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && request.mode === "navigate" && FORMS.test(url.pathname)) {
    var copy = request.clone();
    event.respondWith(fetch(request).then(function (response) {
      copy.formData().then(function (data) { return Outbox.markUsed(data.get("token")); });
      return response;
    }, function () {
      return copy.formData().then(function (data) {
        var fields = [];
        data.forEach(function (value, name) { if (name !== "csrfmiddlewaretoken") fields.push([name, value]); });
        return Outbox.save(url.pathname, fields);
      }).then(function () { return Response.redirect(url.origin + url.pathname + "?tersimpan=1", 303); });
    }));
    return;
  }
  if (request.method !== "GET") return;
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(caches.match(request).then(function (cached) {
      var fresh = fetch(request).then(function (response) { keep(request, response); return response; });
      return cached || fresh;
    }));
  } else if (request.mode === "navigate" && PAGES.test(url.pathname)) {
    event.respondWith(fetch(request).then(function (response) {
      if (!url.search) keep(request, response.clone());
      return response;
    }, function () {
      return caches.match(request, { ignoreSearch: true }).then(function (cached) { return cached || Response.error(); });
    }));
  }
});
