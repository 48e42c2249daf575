/** Where the engine's own endpoints live on the proxy's origin: never forwarded to the program. */
export const ENDPOINT_PREFIX = '/__hotreload/';
export const CLIENT_PATH = `${ENDPOINT_PREFIX}client.js`;
export const EVENTS_PATH = `${ENDPOINT_PREFIX}events`;

/**
 * The script every page gets (served at CLIENT_PATH; the injected tag carries the epoch the page
 * was served at). Plain ES2017 in a string: it runs in the browser, not in Node.
 *
 * - One event stream per browser: the tab holding a Web Lock opens it and relays each message to
 *   the other tabs on a BroadcastChannel; when it closes the lock passes to another tab. New tabs
 *   ask the holder for the current state. Without Web Locks (an insecure origin) each tab has its own.
 * - EventSource reconnects by itself; a stream the browser gave up on is opened again.
 * - Reloads are location.reload(). The scroll position is kept in sessionStorage and put back
 *   once the page has loaded: the browser's own restore misses a scroll made just before the
 *   reload (Chromium syncs a page's history state about a second late).
 * - Stylesheets are swapped by cloning the <link> with a fresh query and removing the old one once
 *   the new one has loaded, so nothing flashes and the page's state stays.
 * - The overlay lives in a shadow root (the page's CSS cannot reach it) and is built with
 *   textContent only, so an error message is always text, never markup.
 */
export const CLIENT_SCRIPT = String.raw`(function () {
  'use strict';
  var me = document.currentScript;
  if (!me || window.__hotreload) return;
  window.__hotreload = true;
  var epoch = me.getAttribute('data-hotreload') || '';
  // Where the engine's endpoints and the program's root are as this page sees them: under a path
  // prefix when the page came through another proxy (code-server's /proxy/<port>/).
  var endpoints = new URL('.', me.src);
  var root = new URL('..', endpoints);
  var state = null;
  var overlay = null;

  // A reload, not a navigation; this tab's scroll position goes with it.
  var scrollKey = 'hotreload:scroll:' + location.pathname + location.search;
  function reload() {
    try {
      sessionStorage.setItem(scrollKey, JSON.stringify([window.scrollX, window.scrollY]));
    } catch (e) { /* storage off: the browser's own restore still applies */ }
    location.reload();
  }

  function restoreScroll() {
    var saved = null;
    try {
      saved = JSON.parse(sessionStorage.getItem(scrollKey) || 'null');
      sessionStorage.removeItem(scrollKey);
    } catch (e) { return; }
    if (saved) window.scrollTo(saved[0], saved[1]);
  }
  if (document.readyState === 'complete') restoreScroll();
  else window.addEventListener('load', restoreScroll, { once: true });

  function key(href) {
    var u = new URL(href, location.href);
    u.searchParams.delete('hotreload');
    return u.origin + u.pathname + u.search;
  }

  function swapStylesheets(urls) {
    var wanted = {};
    urls.forEach(function (u) { wanted[key(new URL(u.slice(1), root).href)] = true; });
    var links = Array.prototype.slice.call(document.querySelectorAll('link[rel~="stylesheet" i]')).filter(function (l) { return l.href; });
    var hits = links.filter(function (l) { return wanted[key(l.href)]; });
    // Not linked here by that URL (an @import, say): refresh this origin's stylesheets instead.
    if (hits.length === 0) hits = links.filter(function (l) { return new URL(l.href).origin === location.origin; });
    hits.forEach(function (link) {
      var u = new URL(link.href);
      u.searchParams.set('hotreload', String(Date.now()));
      var next = link.cloneNode(false);
      next.href = u.href;
      next.addEventListener('load', function () { link.remove(); });
      next.addEventListener('error', function () { next.remove(); });
      link.after(next);
    });
  }

  var CSS = [
    ':host { all: initial; }',
    '.panel { position: fixed; top: 0; left: 0; right: 0; z-index: 2147483647; max-height: 60vh; overflow: auto; box-sizing: border-box;',
    '  margin: 0; padding: 16px 20px; background: #1e1e1e; color: #e8e8e8; border-bottom: 4px solid #f14c4c;',
    '  font: 14px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; box-shadow: 0 4px 24px rgba(0,0,0,.5); }',
    'header { display: flex; align-items: center; gap: 12px; }',
    'h1 { flex: 1; margin: 0; font-size: 16px; color: #f14c4c; }',
    'button { all: unset; cursor: pointer; padding: 0 6px; font-size: 20px; color: #aaa; }',
    '.detail { margin: 6px 0 0; color: #ccc; }',
    'ol { margin: 12px 0 0; padding: 0; list-style: none; }',
    'li { margin: 0 0 12px; }',
    'a { color: #4fc1ff; font-family: ui-monospace, Menlo, Consolas, monospace; }',
    'pre { margin: 4px 0 0; white-space: pre-wrap; word-break: break-word; font: 13px/1.45 ui-monospace, Menlo, Consolas, monospace; }',
    'footer { margin-top: 8px; color: #999; font-size: 12px; }',
  ].join('\n');

  function el(name, className, text) {
    var e = document.createElement(name);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function showProblem(problem) {
    hideProblem();
    var host = document.createElement('hotreload-overlay');
    var root = host.attachShadow({ mode: 'open' });
    if (root.adoptedStyleSheets !== undefined && typeof CSSStyleSheet === 'function') {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
    } else {
      root.appendChild(el('style', '', CSS));
    }
    var panel = el('section', 'panel');
    panel.setAttribute('role', 'alert');
    var header = el('header');
    header.appendChild(el('h1', 'title', problem.title));
    var close = el('button', 'close', '\u00d7');
    close.setAttribute('aria-label', 'Dismiss');
    close.addEventListener('click', hideProblem);
    header.appendChild(close);
    panel.appendChild(header);
    if (problem.detail) panel.appendChild(el('p', 'detail', problem.detail));
    var list = el('ol');
    problem.items.forEach(function (item) {
      var li = el('li', 'item');
      var a = el('a', 'where', item.where);
      a.href = item.href;
      li.appendChild(a);
      li.appendChild(el('pre', 'message', item.message));
      list.appendChild(li);
    });
    panel.appendChild(list);
    panel.appendChild(el('footer', '', 'Hot Reload: the page below is the version still serving. This goes away once a build is good.'));
    root.appendChild(panel);
    (document.body || document.documentElement).appendChild(host);
    overlay = host;
  }

  function hideProblem() {
    if (overlay) overlay.remove();
    overlay = null;
  }

  function handle(msg) {
    if (msg.type === 'hello' || msg.type === 'state') {
      state = { epoch: msg.epoch, problem: msg.problem };
      if (msg.epoch !== epoch) return reload();
      if (msg.problem) showProblem(msg.problem);
      else hideProblem();
    } else if (msg.type === 'reload') {
      state = { epoch: msg.epoch, problem: null };
      if (msg.epoch !== epoch) reload();
    } else if (msg.type === 'css') {
      swapStylesheets(msg.urls);
    } else if (msg.type === 'problem') {
      if (state) state.problem = msg.problem;
      showProblem(msg.problem);
    } else if (msg.type === 'clear') {
      if (state) state.problem = null;
      hideProblem();
    }
  }

  // Named after the endpoint: pages of two programs on one origin (behind one proxy) never mix.
  var name = 'hotreload:' + endpoints.href;
  var channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(name) : null;
  var shared = !!(channel && navigator.locks && navigator.locks.request);
  var leader = false;

  function listen() {
    var source = new EventSource(new URL('${EVENTS_PATH.slice(ENDPOINT_PREFIX.length)}', endpoints).href);
    source.onmessage = function (event) {
      var msg = JSON.parse(event.data);
      if (shared) channel.postMessage(msg);
      handle(msg);
    };
    source.onerror = function () {
      // Closed for good (the engine answered with an error): open it again a little later.
      if (source.readyState === 2) setTimeout(listen, 1000);
    };
  }

  if (shared) {
    channel.onmessage = function (event) {
      var msg = event.data;
      if (msg.type === 'ask') {
        if (leader && state) channel.postMessage({ type: 'state', epoch: state.epoch, problem: state.problem });
      } else {
        handle(msg);
      }
    };
    navigator.locks.request(name, function () {
      leader = true;
      listen();
      return new Promise(function () { /* held while this page lives */ });
    });
    channel.postMessage({ type: 'ask' });
  } else {
    listen();
  }
})();
`;
