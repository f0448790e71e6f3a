// The outbox: surveys kept on this device (IndexedDB) until the server confirmed them, and the
// form tokens already sent. Shared by the survey page and the service worker.
var Outbox = (function () {
  "use strict";
  var opened = null;
  function db() {
    opened = opened || new Promise(function (resolve, reject) {
      var request = indexedDB.open("siputri-outbox", 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore("items", { keyPath: "id", autoIncrement: true });
        request.result.createObjectStore("used", { keyPath: "token" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
    return opened;
  }
  function run(store, mode, work) {
    return db().then(function (base) {
      return new Promise(function (resolve, reject) {
        var tx = base.transaction(store, mode);
        var result = work(tx.objectStore(store));
        tx.oncomplete = function () { resolve(result && "result" in result ? result.result : result); };
        tx.onerror = function () { reject(tx.error); };
      });
    });
  }
  return {
    // fields: [[name, value], ...] of the form, without its CSRF token.
    save: function (url, fields) {
      var token = (fields.filter(function (f) { return f[0] === "token"; })[0] || [])[1] || "";
      var item = { url: url, fields: fields, token: token, savedAt: Date.now(), tries: 0 };
      return run("items", "readwrite", function (s) { return s.add(item); });
    },
    all: function () { return run("items", "readonly", function (s) { return s.getAll(); }); },
    put: function (item) { return run("items", "readwrite", function (s) { return s.put(item); }); },
    done: function (item) {
      return run("items", "readwrite", function (s) { s.delete(item.id); }).then(function () {
        return Outbox.markUsed(item.token);
      });
    },
    markUsed: function (token) {
      if (!token) return Promise.resolve();
      return run("used", "readwrite", function (s) { s.put({ token: token, at: Date.now() }); });
    },
    isUsed: function (token) {
      return run("used", "readonly", function (s) { return s.get(token); }).then(Boolean);
    }
  };
})();
