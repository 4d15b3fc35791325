/* Check-in desk: scanner input, search, camera, live counters, undo, walk-ins and offline.
 *
 * A scan that cannot reach the server (network error, or a 502/503/504 from the proxy) is
 * kept in localStorage with its original time and a client-made scan_id, and re-sent when
 * the network is back; the server counts a scan_id once, so retrying is always safe.
 *
 * The phone's clock is not trusted: an online scan sends no time (the server's decides
 * hadir/terlambat), and a queued scan's time is the phone's corrected by the offset measured
 * at the last answer from the server (every desk answer carries "server_time"; the offset is
 * kept in localStorage, so it survives an offline reload).
 *
 * While offline (the browser says so, or a request found no network) the desk says so; the
 * counters include the scans waiting in the queue, marked as waiting.
 *
 * Offline through a reload: a service worker (static/js/desk-sw.js) serves this page and its
 * files from the "bimtek-desk:<scope>" cache, which this script fills; the roster snapshot
 * (ticket code, name, institution, status, class: no NIK or phone) is kept there too, so people
 * are found by code and by name with no network. The snapshot is used until its expires_at.
 * Offline, a person of another class at a class's session is refused on the spot with the
 * server's words (bimtek/attendance/errors.py not_in_class), not queued to be refused later.
 *
 * What the desk keeps belongs to one login: <scope> is the server's name for it (the
 * "bimtek_device" cookie, renewed by every answer; bimtek/auth/sessions.py). A page whose
 * scope is not the cookie's (another person logged in, or nobody) keeps and shows nothing
 * and drops the desk caches; so does any answer that says the session is gone (401, 403, or
 * a redirect to the login page), and this script drops other logins' caches when it starts.
 * The unsent queue is kept per account and event in localStorage: it is sent only by that
 * account's desk of that event. Logging out clears it all.
 */
(function () {
  "use strict";

  var root = document.getElementById("desk");
  if (!root) return;

  var TICKET = /^[A-HJ-NP-Z2-9]{16}$/;
  var QUEUE_KEY = "bimtek.checkin.queue:" + root.dataset.deskId + ":" + root.dataset.eventCode;
  var POLL_MS = 5000;
  var CACHE_PREFIX = "bimtek-desk";
  var SCOPE = root.dataset.deviceScope || "";
  var CACHE = CACHE_PREFIX + ":" + SCOPE;
  var APOSTROPHES = /['`\u00b4\u2018\u2019\u02bc.]/g;
  var RETRY_MS = 10000;
  var CLOCK_KEY = "bimtek.checkin.clock";
  // the last counts and scans the server gave, for a page reloaded offline from the cache
  var STATUS_KEY = "bimtek.checkin.status:" + root.dataset.deskId + ":" + root.dataset.eventCode;
  // what a panitia types for a registration number: "31", "0031" or "KUTIM24C-0031"
  var REGISTRATION = /^(?:[A-Z0-9]+-)?0*([0-9]{1,6})$/;

  var urls = {
    scan: root.dataset.scanUrl,
    undo: root.dataset.undoUrl,
    excuse: root.dataset.excuseUrl,
    search: root.dataset.searchUrl,
    status: root.dataset.statusUrl,
    roster: root.dataset.rosterUrl,
    walkIn: root.dataset.walkInUrl,
    worker: root.dataset.workerUrl
  };
  var sessionId = root.dataset.sessionId;
  var sessionClassId = root.dataset.sessionClassId || "";
  var deskId = root.dataset.deskId;
  var msg = document.getElementById("t-messages").dataset;
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrf = csrfMeta ? csrfMeta.content : "";

  var input = document.getElementById("scan-input");
  var form = document.getElementById("scan-form");
  var answer = document.getElementById("answer");
  var results = document.getElementById("results");
  var resultList = document.getElementById("result-list");
  var recent = document.getElementById("recent");
  var queueNote = document.getElementById("queue-note");
  var excuseForm = document.getElementById("excuse-form");
  var walkInForm = document.getElementById("walk-in-form");
  var roster = null;
  var titles = (root.dataset.titles || "").split(" ");
  var flushing = false;
  var searchTimer = null;
  var seq = 0;
  var serverCounts = null;
  var netNote = document.getElementById("net-note");
  var queuedCount = document.getElementById("c-queued");

  // --- helpers ------------------------------------------------------------------------------

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function newScanId() {
    var random;
    if (window.crypto && window.crypto.getRandomValues) {
      var bytes = new Uint8Array(8);
      window.crypto.getRandomValues(bytes);
      random = Array.prototype.map.call(bytes, function (b) {
        return ("0" + b.toString(16)).slice(-2);
      }).join("");
    } else {
      random = Math.random().toString(16).slice(2, 18);
    }
    seq += 1;
    return "d" + deskId + "-" + Date.now().toString(36) + "-" + seq + "-" + random;
  }

  // --- the server's clock ---------------------------------------------------------------------

  function clockOffset() {
    // milliseconds to add to the phone's clock to get the server's (0 until first measured)
    try {
      var kept = JSON.parse(localStorage.getItem(CLOCK_KEY) || "null");
      return kept && typeof kept.offset === "number" ? kept.offset : 0;
    } catch (e) {
      return 0;
    }
  }

  function noteServerTime(data, sentAt, receivedAt) {
    var server = data && data.server_time ? Date.parse(data.server_time) : NaN;
    if (isNaN(server)) return;
    // the server read its clock about halfway through the round trip
    var offset = Math.round(server - (sentAt + receivedAt) / 2);
    try {
      localStorage.setItem(CLOCK_KEY, JSON.stringify({ offset: offset, at: receivedAt }));
    } catch (e) { /* full */ }
  }

  function serverNow() {
    return new Date(Date.now() + clockOffset());
  }

  // --- online or not ------------------------------------------------------------------------

  function setOnline(online) {
    if (!netNote) return;
    netNote.hidden = online;
    root.dataset.network = online ? "online" : "offline";
  }

  function request(method, url, body) {
    var sentAt = Date.now();
    var options = {
      method: method,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrf }
    };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch(url, options).then(function (response) {
      var receivedAt = Date.now();
      if (signedOff(response)) sessionGone();
      if (!retriable({ status: response.status })) setOnline(true);
      return response.text().then(function (text) {
        var data = null;
        try { data = text ? JSON.parse(text) : {}; } catch (e) { data = null; }
        noteServerTime(data, sentAt, receivedAt);
        return { status: response.status, ok: response.ok, data: data };
      });
    }, function (error) {
      setOnline(false);
      throw error;
    });
  }

  // --- whose desk this is ---------------------------------------------------------------------

  function cookieScope() {
    var match = document.cookie.match(/(?:^|;\s*)bimtek_device=([^;]*)/);
    return match ? match[1] : "";
  }

  function signedOff(response) {
    // the server says this login is over: logged out elsewhere, reset, deactivated, expired
    if (response.status === 401 || response.status === 403) return true;
    return response.redirected && new URL(response.url).pathname === "/masuk";
  }

  function forgetDesk(keep) {
    // the desk caches of this origin but ``keep``: other logins', or all of them
    if (!window.caches) return Promise.resolve();
    return caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf(CACHE_PREFIX) === 0 && name !== keep;
      }).map(function (name) { return caches.delete(name); }));
    });
  }

  function sessionGone() {
    if (root.dataset.offline === "gone") return forgetDesk(null);
    roster = null;
    root.dataset.offline = "gone";
    clearResults();
    show("bad", msg.error, null, msg.reload);
    return forgetDesk(null);
  }

  function retriable(outcome) {
    // the request may not have reached the app: try again later with the same scan_id
    return outcome.status === 502 || outcome.status === 503 || outcome.status === 504;
  }

  function loggedOut(outcome) {
    // logged out, or the CSRF token no longer matches: keep the scan, ask for a reload
    return outcome.status === 401 || (outcome.status === 400 && !outcome.data);
  }

  function buzz(pattern) {
    if (navigator.vibrate) {
      try { navigator.vibrate(pattern); } catch (e) { /* not allowed here */ }
    }
  }

  // --- the answer panel --------------------------------------------------------------------

  function show(kind, word, person, detail) {
    answer.className = "answer answer-" + kind;
    if (kind === "bad") buzz([90, 60, 90]);
    else if (kind === "ok" || kind === "late") buzz(40);
    answer.textContent = "";
    answer.appendChild(el("p", "answer-word", word));
    if (person) {
      answer.appendChild(el("p", "answer-name", person.full_name));
      answer.appendChild(el("p", "answer-detail", person.institution));
      var meta = el("p", "answer-meta");
      meta.appendChild(el("span", "tag", person.category_label));
      meta.appendChild(document.createTextNode(" " + person.registration_number + " "));
      if (person.class_name) meta.appendChild(el("span", "tag", person.class_name));
      answer.appendChild(meta);
    }
    if (detail) answer.appendChild(el("p", "answer-detail", detail));
  }

  function showLookup() {
    // every new lookup starts from a blank card: never the previous person's answer
    show("idle", msg.searching);
  }

  function showCheckIn(data) {
    if (data.already) {
      var kind = data.status === "izin" || data.status === "sakit" ? "excused" : "already";
      show(kind, msg.already + " " + data.checked_in_clock, data.participant,
        msg[data.status] || data.status_label);
    } else if (data.status === "terlambat") {
      show("late", msg.terlambat + " · " + data.checked_in_clock, data.participant);
    } else {
      show("ok", msg.hadir + " · " + data.checked_in_clock, data.participant);
    }
  }

  function showError(outcome) {
    var error = (outcome.data && outcome.data.error) || {};
    var person = outcome.data && outcome.data.participant;
    if (error.code === "unknown_code") {
      show("bad", msg.unknown);
    } else if (error.code === "not_registered") {
      show("bad", person && person.status === "waitlisted" ? msg.waitlisted : msg.cancelled,
        person, error.message);
    } else if (error.code === "wrong_event") {
      show("bad", msg.wrongEvent, person, error.message);
    } else if (error.code === "not_in_class") {
      show("bad", msg.notInClass, person, error.message);
    } else if (outcome.status === 401 || outcome.status === 400 && !outcome.data) {
      show("bad", msg.error, null, msg.reload);
    } else {
      show("bad", msg.error, null, error.message || ("HTTP " + outcome.status));
    }
  }

  // --- counters and recent scans -----------------------------------------------------------

  function pageCounts() {
    // the counts the page was rendered with (also when it came from the offline cache)
    var counts = {};
    ["checked_in", "expected", "hadir", "terlambat", "izin", "sakit", "belum", "alpa"].forEach(
      function (key) {
        var node = document.getElementById("c-" + key);
        if (node) counts[key] = Number(node.textContent) || 0;
      });
    return counts;
  }

  function queuedHere() {
    // the scans of this session waiting in the queue, one per person
    var seen = {};
    return loadQueue().filter(function (item) {
      if (String(item.sessionId) !== String(sessionId)) return false;
      var key = item.body.participant_id ? "p" + item.body.participant_id
        : "c" + String(item.body.code || "").toUpperCase();
      var person = rosterPerson(item.body);
      if (person) key = "p" + person.id;
      if (seen[key]) return false;
      seen[key] = true;
      return true;
    });
  }

  function renderCounts() {
    // the server's counts, plus the scans waiting to be sent (marked as waiting)
    if (!serverCounts) return;
    var waiting = queuedHere().length;
    var shown = Object.assign({}, serverCounts);
    shown.checked_in = serverCounts.checked_in + waiting;
    shown.belum = Math.max(0, serverCounts.belum - waiting);
    Object.keys(shown).forEach(function (key) {
      var node = document.getElementById("c-" + key);
      if (node) node.textContent = shown[key];
    });
    if (queuedCount) {
      queuedCount.hidden = waiting === 0;
      queuedCount.textContent = msg.countedWaiting.replace("{n}", waiting);
    }
  }

  function keepStatus(data) {
    try {
      localStorage.setItem(STATUS_KEY, JSON.stringify(
        { sessionId: String(sessionId), counts: data.counts, recent: data.recent || null }));
    } catch (e) { /* full */ }
  }

  function keptStatus() {
    try {
      var kept = JSON.parse(localStorage.getItem(STATUS_KEY) || "null");
      return kept && kept.sessionId === String(sessionId) ? kept : null;
    } catch (e) {
      return null;
    }
  }

  function applyStatus(data) {
    if (!data || !data.counts) return;
    if (data.recent) keepStatus(data);
    serverCounts = {};
    ["checked_in", "expected", "hadir", "terlambat", "izin", "sakit", "belum", "alpa"].forEach(
      function (key) {
        if (data.counts[key] !== undefined) serverCounts[key] = data.counts[key];
      });
    renderCounts();
    var stamp = document.getElementById("counts-updated");
    if (stamp) stamp.textContent = msg.updated + " " + serverNow().toLocaleTimeString();
    if (data.recent) renderRecent(data.recent);
  }

  function renderRecent(items) {
    lastRecent = items;
    recent.textContent = "";
    var waiting = queuedHere().slice().reverse();
    if (!items.length && !waiting.length) {
      recent.appendChild(el("li", "empty", msg.none));
      return;
    }
    waiting.forEach(function (item) {
      // not sent yet: who it is from the roster, marked as waiting, nothing to undo
      var person = rosterPerson(item.body);
      var li = el("li", "recent-queued");
      li.appendChild(el("span", "recent-time", "\u2026"));
      li.appendChild(el("span", "recent-name", person ? person.full_name : item.body.code));
      li.appendChild(el("span", "mark mark-queued", msg.queuedShort));
      recent.appendChild(li);
    });
    items.forEach(function (item) {
      var li = el("li");
      li.dataset.participant = item.participant.id;
      li.appendChild(el("span", "recent-time", item.checked_in_clock));
      li.appendChild(el("span", "recent-name", item.participant.full_name));
      li.appendChild(el("span", "mark mark-" + item.status, item.status_label));
      var undo = el("button", "button undo", msg.undo);
      undo.type = "button";
      li.appendChild(undo);
      recent.appendChild(li);
    });
  }

  var lastRecent = null;

  function renderWaiting() {
    renderCounts();
    if (lastRecent) renderRecent(lastRecent);
  }

  function poll() {
    if (document.hidden) return;
    request("GET", urls.status).then(function (outcome) {
      if (outcome.ok) applyStatus(outcome.data);
    }).catch(function () { /* offline: the queue note says so */ });
  }

  // --- the offline queue -------------------------------------------------------------------

  function loadQueue() {
    try {
      var items = JSON.parse(localStorage.getItem(QUEUE_KEY) || "[]");
      return Array.isArray(items) ? items : [];
    } catch (e) {
      return [];
    }
  }

  function saveQueue(items) {
    try { localStorage.setItem(QUEUE_KEY, JSON.stringify(items)); } catch (e) { /* full */ }
    renderQueue();
    renderWaiting();
  }

  function renderQueue() {
    var count = loadQueue().length;
    queueNote.hidden = count === 0;
    queueNote.textContent = msg.waiting.replace("{n}", count);
  }

  function enqueue(item) {
    var items = loadQueue();
    items.push(item);
    saveQueue(items);
  }

  function flushQueue() {
    if (flushing) return Promise.resolve();
    var items = loadQueue();
    if (!items.length) return Promise.resolve();
    flushing = true;
    var head = items[0];
    return request("POST", head.url, head.body).then(function (outcome) {
      if (loggedOut(outcome)) {
        show("bad", msg.error, null, msg.reload);
        throw new Error("login");
      }
      if (retriable(outcome)) throw new Error("retry");
      // delivered (or refused for good, e.g. an unknown code): either way it leaves the queue
      saveQueue(loadQueue().filter(function (x) { return x.body.scan_id !== head.body.scan_id; }));
      if (outcome.ok) {
        if (String(head.sessionId) === String(sessionId)) applyStatus(outcome.data);
      } else {
        showError(outcome);
      }
      flushing = false;
      return flushQueue();
    }).catch(function () {
      flushing = false;
      renderQueue();
    });
  }

  // --- scanning ----------------------------------------------------------------------------

  function scan(body) {
    body.scan_id = body.scan_id || newScanId();
    // online, the server's clock decides; a scan that must wait keeps its moment, read on
    // the phone's clock corrected by the offset measured at the last answer
    var queued = Object.assign({}, body, { scanned_at: serverNow().toISOString() });
    var item = { url: urls.scan, sessionId: sessionId, body: queued };
    if (loadQueue().length || navigator.onLine === false) {
      // keep the order: scans wait behind those already queued
      showQueued(item);
      flushQueue();
      return Promise.resolve();
    }
    return request("POST", urls.scan, body).then(function (outcome) {
      if (retriable(outcome)) throw new Error("retry");
      if (loggedOut(outcome)) {
        enqueue(item);
        show("bad", msg.error, null, msg.reload);
        return;
      }
      if (outcome.ok) {
        showCheckIn(outcome.data);
        applyStatus(outcome.data);
      } else {
        showError(outcome);
      }
    }).catch(function () {
      showQueued(item);
    });
  }

  function showQueued(item) {
    // offline: say who it is from the roster snapshot, and whether they were seen already
    var person = rosterPerson(item.body);
    if (roster && !person) {
      enqueue(item); // the snapshot may predate a walk-in: the server decides later
      show("miss", msg.notFound, null, msg.notInRoster);
      return;
    }
    var seen = person ? seenHere(person.id) : null;
    if (seen) {
      show("already", msg.already, person, seen === "queued" ? msg.queuedShort : msg[seen] || seen);
      return;
    }
    if (person && person.status !== "registered") {
      show("bad", person.status === "waitlisted" ? msg.waitlisted : msg.cancelled, person);
      return;
    }
    if (person && !sessionIsFor(person)) {
      show("bad", msg.notInClass, person, notInClassMessage(person));
      return;
    }
    enqueue(item);
    show("queued", msg.queued, person, msg.queuedDetail);
  }

  function sessionIsFor(person) {
    // bimtek/events/classes.py session_is_for: plenary, or the person's own class
    return !sessionClassId || String(person.class_id || "") === sessionClassId;
  }

  function notInClassMessage(person) {
    // the server's words (bimtek/attendance/errors.py not_in_class), filled in from the roster
    if (!person.class_id) return msg.notInClassNone.split("{name}").join(person.full_name);
    return msg.notInClassTheirs.split("{their_class}").join(person.class_name || "")
      .split("{room}").join(person.class_room ? " (" + person.class_room + ")" : "")
      .split("{name}").join(person.full_name);
  }

  // --- the roster snapshot (offline lookups) ------------------------------------------------

  function searchKeys(text) {
    // the server's rules (bimtek/participants/search.py): no diacritics, apostrophes, titles
    var plain = String(text || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
      .toLowerCase().replace(APOSTROPHES, "");
    var words = plain.split(/[^0-9a-z]+/).filter(Boolean);
    var bare = words.filter(function (w) { return titles.indexOf(w) === -1; });
    return [words.join(""), (bare.length ? bare : words).join("")];
  }

  function useRoster(data) {
    if (!data || !data.participants || new Date(data.expires_at) <= new Date()) {
      roster = null;
      return false;
    }
    var byCode = {};
    var byId = {};
    data.participants.forEach(function (person) {
      person.keys = searchKeys(person.full_name);
      person.place = searchKeys(person.institution)[0];
      byCode[person.ticket_code] = person;
      byId[person.id] = person;
    });
    roster = { data: data, byCode: byCode, byId: byId };
    return true;
  }

  function rosterPerson(body) {
    if (!roster) return null;
    if (body.participant_id) return roster.byId[body.participant_id] || null;
    return roster.byCode[String(body.code || "").toUpperCase()] || null;
  }

  function seenHere(participantId) {
    // checked in at this session by the snapshot, or waiting in the queue
    var here = (roster && roster.data.attendance[sessionId]) || {};
    if (here[participantId]) return here[participantId];
    var person = roster && roster.byId[participantId];
    var queued = loadQueue().some(function (item) {
      if (String(item.sessionId) !== String(sessionId)) return false;
      if (item.body.participant_id) return item.body.participant_id === participantId;
      return person && String(item.body.code || "").toUpperCase() === person.ticket_code;
    });
    return queued ? "queued" : null;
  }

  function registrationNumber(term) {
    // the number "31", "0031" or "KUTIM24C-0031" names, or null
    var text = String(term || "").replace(/\s+/g, "").toUpperCase();
    var match = text.match(REGISTRATION);
    if (!match || Number(match[1]) === 0) return null;
    if (text.indexOf("-") !== -1 && text.split("-")[0] !== root.dataset.eventCode) return null;
    return Number(match[1]);
  }

  function searchRoster(term) {
    var keys = searchKeys(term);
    if (!keys[0]) return [];
    var code = term.trim().toUpperCase();
    var number = registrationNumber(term);
    var numbered = roster.data.participants.filter(function (person) {
      return number !== null && Number(person.registration_number.split("-").pop()) === number;
    });
    return numbered.concat(roster.data.participants.filter(function (person) {
      if (numbered.indexOf(person) !== -1) return false;
      return person.ticket_code === code || person.keys[0].indexOf(keys[0]) !== -1 ||
        person.keys[1].indexOf(keys[1]) !== -1 || person.place.indexOf(keys[0]) !== -1;
    })).slice(0, 8).map(function (person) {
      var seen = seenHere(person.id);
      return {
        participant: person,
        attendance: seen ? { status: seen === "queued" ? "hadir" : seen,
                             status_label: seen === "queued" ? msg.queuedShort : msg[seen] || seen,
                             checked_in_clock: "" } : null
      };
    });
  }

  function loadRoster() {
    if (!urls.roster) return Promise.resolve();
    if (root.dataset.offline === "gone") return Promise.resolve();
    var sentAt = Date.now();
    return fetch(urls.roster, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        var receivedAt = Date.now();
        if (signedOff(response)) return sessionGone();
        if (!response.ok) return null;
        setOnline(true);
        return response.json().then(function (data) {
          noteServerTime(data, sentAt, receivedAt);
          if (data.csrf_token) csrf = data.csrf_token;
          if (!useRoster(data) || !window.caches) return null;
          return caches.open(CACHE).then(function (c) {
            return c.put(urls.roster, new Response(JSON.stringify(data),
              { headers: { "Content-Type": "application/json" } }));
          });
        });
      })
      .catch(function () {
        // offline: the snapshot this device kept, while it is still valid
        setOnline(false);
        if (!window.caches) return null;
        return caches.open(CACHE).then(function (c) {
          return c.match(urls.roster).then(function (hit) {
            if (!hit) return null;
            return hit.json().then(function (data) {
              if (!useRoster(data)) return c.delete(urls.roster);
              return null;
            });
          });
        });
      });
  }

  function keepForOffline() {
    // the worker answers for this page with no network; this page fills its cache
    if (!("serviceWorker" in navigator) || !window.caches || !urls.worker ||
        root.dataset.offline === "gone") {
      return Promise.resolve(false);
    }
    var files = [location.pathname + location.search];
    document.querySelectorAll('link[rel="stylesheet"], link[rel="icon"], script[src]')
      .forEach(function (node) { files.push(node.getAttribute("href") || node.getAttribute("src")); });
    return navigator.serviceWorker.register(urls.worker, { scope: root.dataset.workerScope })
      .then(function () { return navigator.serviceWorker.ready; })
      .then(function () { return caches.open(CACHE); })
      .then(function (cache) { return cache.addAll(files); })
      .then(function () { return true; })
      .catch(function () { return false; });
  }

  function clearResults() {
    results.hidden = true;
    resultList.textContent = "";
  }

  function search(term) {
    showLookup();
    if (navigator.onLine === false && roster) {
      renderResults(term, searchRoster(term), true);
      return Promise.resolve();
    }
    return request("GET", urls.search + "?q=" + encodeURIComponent(term)).then(function (outcome) {
      if (!outcome.ok) { showError(outcome); return; }
      renderResults(term, outcome.data.results || [], false);
    }).catch(function () {
      if (roster) renderResults(term, searchRoster(term), true);
      else show("miss", msg.offline, null, msg.noRoster);
    });
  }

  function renderResults(term, found, offline) {
    if (input.value.trim() !== term) return; // typed on since
    resultList.textContent = "";
    if (!found.length) {
      results.hidden = true;
      show("miss", msg.notFound, null, "\u201c" + term + "\u201d");
      return;
    }
    results.hidden = false;
    show("idle", msg.pick.replace("{n}", found.length), null, offline ? msg.offlineList : null);
    found.forEach(function (match) {
      var person = match.participant;
      var li = el("li", "result");
      var who = el("div", "result-who");
      who.appendChild(el("strong", null, person.full_name));
      who.appendChild(el("span", "muted small",
        person.institution + " · " + person.registration_number));
      if (person.class_name) who.appendChild(el("span", "tag result-class", person.class_name));
      li.appendChild(who);
      var actions = el("div", "result-actions");
      if (match.attendance) {
        actions.appendChild(el("span", "mark mark-" + match.attendance.status,
          match.attendance.status_label + " " + match.attendance.checked_in_clock));
      } else if (person.status !== "registered") {
        actions.appendChild(el("span", "mark mark-alpa",
          person.status === "waitlisted" ? msg.waitlisted : msg.cancelled));
      }
      if (!match.attendance && person.status === "registered") {
        var pick = el("button", "button primary pick", msg.checkin);
        pick.type = "button";
        pick.dataset.participant = person.id;
        actions.appendChild(pick);
      }
      if (person.status === "registered" && !offline &&
          (!match.attendance || match.attendance.status === "izin" ||
           match.attendance.status === "sakit")) {
        var excuse = el("button", "button excuse", msg.excuse);
        excuse.type = "button";
        excuse.dataset.participant = person.id;
        excuse.dataset.name = person.full_name;
        actions.appendChild(excuse);
      }
      li.appendChild(actions);
      resultList.appendChild(li);
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(searchTimer);
    var raw = input.value.trim();
    if (!raw) return;
    var code = raw.toUpperCase();
    if (TICKET.test(code)) {
      input.value = "";
      clearResults();
      showLookup();
      scan({ code: code, source: "desk" }).then(function () { input.focus(); });
    } else {
      search(raw);
    }
  });

  input.addEventListener("input", function () {
    clearTimeout(searchTimer);
    var raw = input.value.trim();
    if (TICKET.test(raw.toUpperCase())) return;
    if (raw.length < 3 && registrationNumber(raw) === null) return;
    // a handheld scanner types a whole code in well under this delay
    searchTimer = setTimeout(function () { search(raw); }, 400);
  });

  resultList.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) return;
    if (button.classList.contains("pick")) {
      scan({ participant_id: Number(button.dataset.participant), source: "manual" })
        .then(function () {
          clearResults();
          input.value = "";
          input.focus();
        });
    } else if (button.classList.contains("excuse")) {
      document.getElementById("excuse-participant").value = button.dataset.participant;
      document.getElementById("excuse-name").textContent = button.dataset.name;
      excuseForm.hidden = false;
      document.getElementById("excuse-note").focus();
    }
  });

  excuseForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var body = {
      participant_id: Number(document.getElementById("excuse-participant").value),
      status: document.getElementById("excuse-status").value,
      note: document.getElementById("excuse-note").value
    };
    request("POST", urls.excuse, body).then(function (outcome) {
      if (outcome.ok) {
        show("excused", msg[outcome.data.status] + " · " + msg.saved, outcome.data.participant,
          outcome.data.note);
        applyStatus(outcome.data);
        excuseForm.hidden = true;
        excuseForm.reset();
        clearResults();
        input.value = "";
        input.focus();
      } else {
        showError(outcome);
      }
    }).catch(function () { show("bad", msg.offline); });
  });

  document.getElementById("excuse-cancel").addEventListener("click", function () {
    excuseForm.hidden = true;
    excuseForm.reset();
    input.focus();
  });

  // --- undo: press twice within 4 seconds ---------------------------------------------------

  recent.addEventListener("click", function (event) {
    var button = event.target.closest("button.undo");
    if (!button) return;
    if (!button.classList.contains("confirm")) {
      button.classList.add("confirm");
      button.textContent = msg.undoConfirm;
      setTimeout(function () {
        button.classList.remove("confirm");
        button.textContent = msg.undo;
      }, 4000);
      return;
    }
    var li = button.closest("li");
    request("POST", urls.undo, { participant_id: Number(li.dataset.participant) })
      .then(function (outcome) {
        if (outcome.ok) {
          show("idle", msg.undone, outcome.data.undone);
          applyStatus(outcome.data);
        } else {
          showError(outcome);
        }
        input.focus();
      }).catch(function () { show("bad", msg.offline); });
  });

  // --- walk-ins: register at the desk and check in at once -----------------------------------

  if (walkInForm) {
    walkInForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var body = {};
      Array.prototype.forEach.call(walkInForm.elements, function (field) {
        if (!field.name) return;
        body[field.name] = field.type === "checkbox" ? field.checked : field.value;
      });
      walkInForm.querySelectorAll(".error").forEach(function (node) { node.remove(); });
      var button = walkInForm.querySelector("button[type=submit]");
      button.disabled = true;
      showLookup();
      request("POST", urls.walkIn, body).then(function (outcome) {
        button.disabled = false;
        if (!outcome.ok) {
          showError(outcome);
          var fields = (outcome.data && outcome.data.error && outcome.data.error.fields) || {};
          var first = null;
          Object.keys(fields).forEach(function (name) {
            var field = walkInForm.elements[name];
            if (!field) return;
            var note = el("p", "error", fields[name]);
            note.id = "wi-error-" + name;
            field.setAttribute("aria-describedby", note.id);
            field.closest(".field").appendChild(note);
            first = first || field;
          });
          if (first) first.focus();
          return;
        }
        showCheckIn(outcome.data);
        var ticket = el("p", "answer-detail");
        var link = el("a", "button ticket-link", msg.ticket);
        link.href = outcome.data.ticket_url;
        ticket.appendChild(link);
        if (outcome.data.emailed) ticket.appendChild(el("span", "small block", msg.emailed));
        answer.appendChild(ticket);
        applyStatus(outcome.data);
        walkInForm.reset();
        walkInForm.closest("details").open = false;
        loadRoster();
      }).catch(function () {
        button.disabled = false;
        show("bad", msg.offline, null, msg.walkInOffline);
      });
    });
  }

  // logging out clears what this device keeps (Clear-Site-Data), the unsent scans too
  document.querySelectorAll('form[data-logout]').forEach(function (logout) {
    logout.addEventListener("submit", function (event) {
      if (loadQueue().length && !window.confirm(msg.logoutQueue)) event.preventDefault();
    });
  });

  // --- session picker: change = go ----------------------------------------------------------

  var picker = document.getElementById("sesi");
  var go = document.getElementById("session-go");
  if (picker && go) {
    go.hidden = true;
    picker.addEventListener("change", function () { picker.form.submit(); });
  }

  // --- camera (BarcodeDetector where the browser has it) ------------------------------------

  var cameraButton = document.getElementById("camera-button");
  var camera = document.getElementById("camera");
  var video = document.getElementById("camera-video");
  var stream = null;
  var lastCode = "";
  var lastAt = 0;

  function stopCamera() {
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    camera.hidden = true;
  }

  function offerCamera() {
    cameraButton.addEventListener("click", function () {
      var detector;
      try {
        detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      } catch (e) {
        show("bad", msg.cameraError);
        return;
      }
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } })
        .then(function (media) {
          stream = media;
          video.srcObject = media;
          camera.hidden = false;
          return video.play();
        })
        .then(function () {
          function tick() {
            if (!stream) return;
            detector.detect(video).then(function (codes) {
              var now = Date.now();
              codes.forEach(function (found) {
                var code = (found.rawValue || "").trim().toUpperCase();
                if (!code || (code === lastCode && now - lastAt < 3000)) return;
                lastCode = code;
                lastAt = now;
                scan({ code: code, source: "camera" });
              });
            }).catch(function () { /* a frame that could not be read */ })
              .then(function () { setTimeout(tick, 250); });
          }
          tick();
        })
        .catch(function () {
          stopCamera();
          show("bad", msg.cameraError);
        });
    });
    document.getElementById("camera-stop").addEventListener("click", stopCamera);
    cameraButton.hidden = false;
  }

  // show the camera button only where the browser can really read QR codes
  if ("BarcodeDetector" in window && navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
    var formats = window.BarcodeDetector.getSupportedFormats
      ? window.BarcodeDetector.getSupportedFormats()
      : Promise.resolve(["qr_code"]);
    formats.then(function (list) {
      if (list.indexOf("qr_code") !== -1) offerCamera();
    }).catch(function () { /* no camera scanning here */ });
  }

  // --- start ---------------------------------------------------------------------------------

  if (!SCOPE || cookieScope() !== SCOPE) {
    // a page kept for another login (or for nobody): show and keep nothing of it
    root.dataset.offline = "gone";
    recent.textContent = "";
    input.disabled = true;
    forgetDesk(null);
    show("bad", msg.error, null, msg.reload);
    return;
  }
  window.addEventListener("online", function () {
    setOnline(true);
    loadRoster().then(flushQueue); // a fresh CSRF token first (the page may be from the cache)
  });
  window.addEventListener("offline", function () { setOnline(false); });
  if (navigator.onLine === false) setOnline(false);
  serverCounts = pageCounts();
  lastRecent = Array.prototype.map.call(recent.querySelectorAll("li[data-participant]"),
    function (li) {
      // the list the page was rendered with, so that waiting scans can be put above it
      var mark = li.querySelector(".mark");
      return {
        participant: { id: li.dataset.participant,
                       full_name: li.querySelector(".recent-name").textContent },
        checked_in_local: li.querySelector(".recent-time").textContent,
        status: mark.className.replace(/^.*mark-/, ""),
        status_label: mark.textContent
      };
    });
  renderWaiting();
  if (navigator.onLine === false && keptStatus()) applyStatus(keptStatus());
  setInterval(poll, POLL_MS);
  setInterval(flushQueue, RETRY_MS);
  renderQueue();
  input.focus();
  root.dataset.ready = "1";
  if (window.performance && performance.mark) performance.mark("desk-ready");
  var offlineReady = navigator.onLine === false
    ? loadRoster()
    : forgetDesk(CACHE).then(loadRoster).then(function () {
      flushQueue();
      return keepForOffline();
    });
  offlineReady.then(function () {
    renderWaiting(); // the roster names the waiting scans
    if (root.dataset.offline !== "gone") root.dataset.offline = roster ? "ready" : "none";
  });
})();
