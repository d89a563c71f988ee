// The survey without a connection (served at /s/{survey}/sw.js, so its scope is the survey):
// keeps the survey page in each language it was opened in, and the "saved on this phone"
// page; answers sent while offline wait in IndexedDB and go when the connection returns
// (Background Sync where the browser has it; else the next visit, or coming back online),
// each counted once: the server knows a response by its id. A page served from here gets a
// fresh response id, so two people answering on one phone offline are two responses.
// Answers the server refuses once they reach it (an "other" without its text, a survey
// closed meanwhile) stay on the phone with the server's page saying why; the survey page
// offers them again (?refused=KEY) until they are sent once more.
"use strict";
var PAGES = "survey-pages-v1", DB = "globaldialogue-outbox", STORE = "answers";
var scope = new URL(self.registration.scope).pathname;

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

self.addEventListener("fetch", function (event) {
  var request = event.request, url = new URL(request.url);
  if (request.mode !== "navigate" || url.pathname !== scope) return;
  if (request.method === "GET" && url.searchParams.has("refused")) {
    event.respondWith(refusedPage(Number(url.searchParams.get("refused"))));
    return;
  }
  event.respondWith(request.method === "POST" ? send(request) : page(request));
});

self.addEventListener("message", function (event) {
  var port = event.ports && event.ports[0];
  if (event.data === "flush") event.waitUntil(flush().then(function () {
    return refusedKeys();
  }).then(function (keys) { if (port) port.postMessage({ refused: keys }); }));
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
  var copy = request.clone(), body = request.clone().text();
  return fetch(request).then(function (response) {
    // Answered (taken, or refused on the page it shows): an earlier refused copy of these
    // answers is done with.
    return body.then(forgetRefused).then(function () { return response; });
  }, function () {
    return copy.text().then(function (body) {
      var language = new URLSearchParams(body).get("language") || "";
      return forgetRefused(body).then(function () { return store(body); }).then(function () {
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

function all() {  // [[key, item], ...]
  return transact("readonly", function (s) { return s.getAllKeys(); }).then(function (keys) {
    return Promise.all(keys.map(function (key) {
      return transact("readonly", function (s) { return s.get(key); }).then(function (item) { return [key, item]; });
    }));
  });
}

function responseId(body) { return new URLSearchParams(body).get("response_id"); }

function forgetRefused(body) {  // these answers are being sent again
  var id = responseId(body);
  return all().then(function (items) {
    return Promise.all(items.filter(function (pair) {
      return pair[1] && pair[1].refused && responseId(pair[1].body) === id;
    }).map(function (pair) {
      return transact("readwrite", function (s) { return s.delete(pair[0]); });
    }));
  });
}

function refusedKeys() {
  return all().then(function (items) {
    return items.filter(function (pair) { return pair[1] && pair[1].refused && pair[1].url === scope; })
      .map(function (pair) { return pair[0]; });
  });
}

// The server's page saying why, with the answers to correct. A page with nothing to send
// again (the survey closed, or these answers already stored under another form) is shown
// once and the answers leave the phone; a form stays until it is sent again.
function refusedPage(key) {
  return transact("readonly", function (s) { return s.get(key); }).then(function (item) {
    if (!item || !item.refused) return Response.redirect(scope, 303);
    var page = new Response(item.refused, { headers: { "Content-Type": "text/html; charset=utf-8" } });
    if (item.refused.indexOf('name="response_id"') >= 0) return page;
    return transact("readwrite", function (s) { return s.delete(key); }).then(function () { return page; });
  });
}

// Each waiting response is sent; it leaves the phone once the server has taken it (or has
// it already); refused, it stays with the server's page saying why; a lost connection or a
// busy server keeps it waiting.
function flush() {
  return all().then(function (items) {
    return items.filter(function (pair) { return pair[1] && !pair[1].refused; }).reduce(function (done, pair) {
      return done.then(function () { return sendOne(pair[0], pair[1]); });
    }, Promise.resolve());
  });
}

function sendOne(key, item) {
  return fetch(item.url, {
    method: "POST",
    body: item.body,
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    redirect: "manual",
  }).then(function (response) {
    if (response.status === 429 || response.status >= 500) return undefined;
    if (response.type === "opaqueredirect" || response.ok) {
      return transact("readwrite", function (s) { return s.delete(key); });
    }
    return response.text().then(function (html) {
      item.refused = html;
      return transact("readwrite", function (s) { return s.put(item, key); });
    });
  }, function () { return undefined; });
}
