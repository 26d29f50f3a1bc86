// Service worker: makes the page work offline after the first visit.
// The build replaces the two placeholders below with this build's file list
// (content-hashed names, so a cached file can never be stale) and a version
// derived from it; a new build installs a new cache and deletes the old one.
const VERSION = "__VERSION__";
const ASSETS = ["__ASSETS__"];
const CACHE = `frontsign-${VERSION}`;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(ASSETS)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith("frontsign-") && n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    // The page itself: fresh when online (so a new build shows up), cached when not.
    event.respondWith(
      fetch(request).catch(() => caches.open(CACHE).then((cache) => cache.match("./")).then((r) => r ?? Response.error())),
    );
    return;
  }
  // Hashed files never change: the cache first.
  event.respondWith(caches.match(request, { cacheName: CACHE }).then((cached) => cached ?? fetch(request)));
});
