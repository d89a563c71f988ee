// The survey without a connection (served at /s/{survey}/sw.js, so its scope is the survey):
// keeps the survey page in each language it was opened in, and the "saved on this phone"
// page; answers sent while offline wait in IndexedDB and go when the connection returns
// (Background Sync where the browser has it; else the next visit, or coming back online),
// each counted once: the server knows a response by its id. A page served from here gets a
// fresh response id, so two people answering on one phone offline are two responses.
"use strict";
var PAGES = "survey-pages-v1", DB = "globaldialogue-outbox", STORE = "answers";
var scope = new URL(self.registration.scope).pathname;

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

self.addEventListener("fetch", function (event) {
  var request = event.request, url = new URL(request.url);
  if (request.mode !== "navigate" || url.pathname !== scope) return;
  event.respondWith(request.method === "POST" ? send(request) : page(request));
});

self.addEventListener("message", function (event) {
  if (event.data === "flush") event.waitUntil(flush());
  else if (event.data && event.data.keep) event.waitUntil(keep(event.data.keep));
});
self.addEventListener("sync", function (event) {
  if (event.tag === "survey-outbox") event.waitUntil(flush());
});

function keep(urls) {  // the page as opened, and its "saved" page in the same language
  return caches.open(PAGES).then(function (cache) { return cache.addAll(urls); });
}

function page(request) {
  return fetch(request).catch(function () {
    return caches.match(request.url).then(function (hit) {
      return hit || anyPage();
    }).then(function (hit) {
      return hit ? freshId(hit) : Response.error();
    });
  });
}

function anyPage() {
  return caches.open(PAGES).then(function (cache) {
    return cache.keys().then(function (keys) {
      var pages = keys.filter(function (k) { return new URL(k.url).pathname === scope; });
      return pages.length ? cache.match(pages[0]) : undefined;
    });
  });
}

function freshId(response) {
  return response.text().then(function (html) {
    html = html.replace(/name="response_id" value="[^"]*"/, 'name="response_id" value="' + self.crypto.randomUUID() + '"');
    return new Response(html, { headers: { "Content-Type": "text/html; charset=utf-8" } });
  });
}

function send(request) {
  var copy = request.clone();
  return fetch(request).catch(function () {
    return copy.text().then(function (body) {
      var language = new URLSearchParams(body).get("language") || "";
      return store(body).then(function () {
        if (self.registration.sync) self.registration.sync.register("survey-outbox").catch(function () {});
        return caches.match(scope + "saved?lang=" + encodeURIComponent(language)).then(function (hit) {
          return hit || new Response("Saved on this phone.", { headers: { "Content-Type": "text/plain; charset=utf-8" } });
        });
      });
    });
  });
}

function database() {
  return new Promise(function (resolve, reject) {
    var opening = indexedDB.open(DB, 1);
    opening.onupgradeneeded = function () { opening.result.createObjectStore(STORE, { autoIncrement: true }); };
    opening.onsuccess = function () { resolve(opening.result); };
    opening.onerror = function () { reject(opening.error); };
  });
}

function transact(mode, work) {
  return database().then(function (db) {
    return new Promise(function (resolve, reject) {
      var tx = db.transaction(STORE, mode), result = work(tx.objectStore(STORE));
      tx.oncomplete = function () { resolve(result && result.result); };
      tx.onerror = function () { reject(tx.error); };
    });
  });
}

function store(body) {
  return transact("readwrite", function (s) { return s.add({ url: scope, body: body }); });
}

// Each waiting response is sent; it leaves the phone once the server has answered (stored,
// a resend of it, or refused for good); a lost connection or a busy server keeps it.
function flush() {
  return transact("readonly", function (s) { return s.getAllKeys(); }).then(function (keys) {
    return keys.reduce(function (done, key) {
      return done.then(function () { return sendOne(key); });
    }, Promise.resolve());
  });
}

function sendOne(key) {
  return transact("readonly", function (s) { return s.get(key); }).then(function (item) {
    if (!item) return undefined;
    return fetch(item.url, {
      method: "POST",
      body: item.body,
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      redirect: "manual",
    }).then(function (response) {
      if (response.status === 429 || response.status >= 500) return undefined;
      return transact("readwrite", function (s) { return s.delete(key); });
    }, function () { return undefined; });
  });
}
