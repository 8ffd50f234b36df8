// kmsconf conference console: draws the conference server's state as the admin API's event stream
// (/api/events, server-sent events) pushes it. Plain DOM, no framework, nothing from another origin.
// Every text that came from the network goes in through textContent, never as HTML: identities and
// refusal details are chosen by whoever sends SIP.
'use strict';

const SVG = 'http://www.w3.org/2000/svg';
const MAX_FEED = 100;
let events = null;

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  setAttrs(e, attrs);
  for (const c of children) {
    if (c !== null && c !== undefined) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

function svg(tag, attrs, text) {
  const e = document.createElementNS(SVG, tag);
  setAttrs(e, attrs);
  if (text !== undefined) e.textContent = text;
  return e;
}

function setAttrs(e, attrs) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined) continue;
    if (k === 'class') e.setAttribute('class', v); else e.setAttribute(k, String(v));
  }
}

// sip:focus9270431117203585012.conference1@operator -> focus9270431117203585012.conference1
function user(uri) {
  const s = String(uri || '').replace(/^sips?:/, '');
  const at = s.indexOf('@');
  return at < 0 ? s : s.substring(0, at);
}

function shortFocus(uri) {
  const u = user(uri);
  return u.length > 16 ? u.substring(0, 9) + '…' + u.substring(u.length - 5) : u;
}

function time(iso) {
  const d = new Date(iso);
  return isNaN(d) ? '' : d.toLocaleTimeString();
}

async function api(method, path, body) {
  const headers = { 'X-Kmsconf-Console': '1' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const r = await fetch(path, { method, headers, credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body) });
  let data = null;
  try { data = await r.json(); } catch (e) { data = null; }
  return { status: r.status, data };
}

// ------------------------------------------------------------------ log in / out

async function start() {
  document.getElementById('login-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    await login(document.getElementById('token').value);
  });
  document.getElementById('logout').addEventListener('click', async () => {
    await api('DELETE', '/api/session');
    if (events) events.close();
    showLogin('');
  });
  const m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (m) {
    history.replaceState(null, '', location.pathname); // the token leaves the address bar and the history
    await login(decodeURIComponent(m[1]));
    return;
  }
  const s = await api('GET', '/api/session');
  if (s.status === 200) connect(s.data.operator); else showLogin('');
}

async function login(token) {
  const r = await api('POST', '/api/session', { token });
  document.getElementById('token').value = '';
  if (r.status === 200) connect(r.data.operator); else showLogin('That is not the admin token.');
}

function showLogin(error) {
  document.getElementById('login').hidden = false;
  document.getElementById('main').hidden = true;
  document.getElementById('logout').hidden = true;
  document.getElementById('who').textContent = '';
  const e = document.getElementById('login-error');
  e.textContent = error;
  e.hidden = !error;
  setStatus(false);
}

function setStatus(live) {
  const s = document.getElementById('status');
  s.className = 'status ' + (live ? 'live' : 'offline');
  s.dataset.status = live ? 'live' : 'offline';
  s.textContent = live ? 'live' : 'not connected';
}

function connect(operator) {
  document.getElementById('login').hidden = true;
  document.getElementById('main').hidden = false;
  document.getElementById('logout').hidden = false;
  document.getElementById('who').textContent = operator;
  if (events) events.close();
  events = new EventSource('/api/events');
  events.onopen = () => setStatus(true);
  events.onerror = async () => {
    setStatus(false);
    if (events.readyState === EventSource.CLOSED) {
      const s = await api('GET', '/api/session');
      if (s.status === 401) showLogin('The session ended: log in again.');
      else setTimeout(() => connect(operator), 2000);
    }
  };
  const on = (name, f) => events.addEventListener(name, (m) => f(JSON.parse(m.data)));
  on('state', drawState);
  on('refusals', (list) => { clear('refusals'); list.slice().reverse().forEach((r) => addRefusal(r, false)); });
  on('refusal', (r) => addRefusal(r, true));
  on('audit-list', (list) => { clear('audit'); list.slice().reverse().forEach((a) => addAudit(a, false)); });
  on('audit', (a) => addAudit(a, true));
  on('kms', drawKms);
}

function clear(id) {
  document.getElementById(id).replaceChildren();
}

// ------------------------------------------------------------------ conferences

// A card is rebuilt only when the conference's shape changes (members, states, SSRCs, keys, allowed set); otherwise
// only its counters and rates are rewritten in place, so buttons stay put under the operator's pointer.
function drawState(state) {
  const list = document.getElementById('conferences');
  const existing = new Map([...list.children].map((c) => [c.dataset.focus, c]));
  const cards = state.conferences.map((c) => {
    const old = existing.get(c.focusUri);
    const shape = shapeOf(c);
    if (old && old.dataset.shape === shape) {
      updateCounters(old, c);
      return old;
    }
    const card = drawConference(c);
    card.dataset.shape = shape;
    return card;
  });
  list.replaceChildren(...cards);
  document.getElementById('conference-count').textContent = state.conferences.length;
  document.getElementById('no-conferences').hidden = state.conferences.length > 0;
}

function shapeOf(c) {
  return JSON.stringify([c.owner, c.allowed, c.participants.map((p) => [p.identity, p.status, p.ssrc,
    p.leg ? [p.leg.callId, p.leg.fromParticipant.keyFingerprint, p.leg.toParticipant.keyFingerprint] : null])]);
}

function updateCounters(card, c) {
  for (const p of c.participants) {
    const l = p.leg;
    if (!l) continue;
    const sel = (s) => card.querySelector(`[data-participant="${CSS.escape(p.identity)}"] ${s}`);
    const set = (s, v, bad) => {
      const e = sel(s);
      if (!e) return;
      e.textContent = v;
      if (bad !== undefined) e.classList.toggle('bad', bad);
    };
    set('td.in-rate', l.rates.inPerSecond.toFixed(1));
    set('td.out-rate', l.rates.outPerSecond.toFixed(1));
    set('text.rate', rateText(l.rates));
    if (l.counters) {
      set('td.received', l.counters.received);
      set('td.sent', l.counters.sent);
      set('td.auth-failures', l.counters.authFailures, l.counters.authFailures > 0);
      set('td.replay-drops', l.counters.replayDrops, l.counters.replayDrops > 0);
    }
  }
}

function rateText(r) {
  return '→ ' + r.inPerSecond.toFixed(1) + ' pps   ← ' + r.outPerSecond.toFixed(1) + ' pps';
}

function drawConference(c) {
  const end = el('button', { class: 'end', type: 'button', title: 'End the conference: every participant gets a BYE' },
    'End conference');
  end.addEventListener('click', () => act('DELETE', '/api/conferences/' + encodeURIComponent(c.focusUri),
    'End ' + c.focusUri + '? Every participant gets a BYE and loses its keys.'));
  const meta = el('div', { class: 'meta' }, 'owner ', user(c.owner), ' · allowed: ',
    c.allowed.length ? c.allowed.map(user).join(', ') : '(none)', ' · created ', time(c.created),
    c.validUntil ? ' · ticket valid until ' + new Date(c.validUntil).toLocaleString() : '');
  const card = el('article', { class: 'conference', 'data-focus': c.focusUri },
    el('header', {}, el('h3', { class: 'focus-uri' }, c.focusUri), end), meta, picture(c), legTable(c));
  return card;
}

// The focus in the middle, one spoke and node per participant around it.
function picture(c) {
  const W = 640, H = 380, cx = W / 2, cy = H / 2, R = 140;
  const s = svg('svg', { class: 'picture', viewBox: `0 0 ${W} ${H}`, role: 'img',
    'aria-label': 'conference ' + c.focusUri });
  const n = c.participants.length;
  c.participants.forEach((p, i) => {
    const a = -Math.PI / 2 + (2 * Math.PI * i) / Math.max(n, 1);
    const x = cx + R * Math.cos(a) * 1.35, y = cy + R * Math.sin(a);
    s.append(svg('line', { class: 'spoke ' + p.status, x1: cx, y1: cy, x2: x, y2: y }));
    const g = svg('g', { class: 'leg ' + p.status + (p.identity === c.owner ? ' owner' : ''),
      'data-participant': p.identity, 'data-state': p.status, 'data-ssrc': p.ssrc });
    g.append(svg('circle', { class: 'node', cx: x, cy: y, r: 30 }));
    g.append(svg('text', { x, y: y - 2, class: 'name' }, user(p.identity)));
    g.append(svg('text', { x, y: y + 12, class: 'small state' }, p.status === 'CONNECTED' ? 'connected' : 'dialling out'));
    g.append(svg('text', { x, y: y + 44, class: 'small ssrc' }, 'SSRC ' + p.ssrc));
    if (p.leg && p.leg.rates) {
      g.append(svg('text', { x, y: y + 58, class: 'rate' }, rateText(p.leg.rates)));
    }
    s.append(g);
  });
  s.append(svg('circle', { class: 'focus-node', cx, cy, r: 54 }));
  s.append(svg('text', { x: cx, y: cy - 4, class: 'focus-label' }, 'focus'));
  s.append(svg('text', { x: cx, y: cy + 12, class: 'focus-label tiny' }, shortFocus(c.focusUri)));
  return s;
}

function legTable(c) {
  const head = el('tr', {}, ...['who', 'state', 'SSRC', 'SRTP policy', 'key fingerprints in / out', 'Call-ID',
    'in pps', 'out pps', 'received', 'sent', 'auth fail', 'replay', ''].map((h) => el('th', {}, h)));
  const rows = c.participants.map((p) => {
    const l = p.leg, k = l && l.counters;
    const remove = el('button', { class: 'remove', type: 'button', 'data-participant': p.identity }, 'Remove');
    remove.addEventListener('click', () => act('DELETE', '/api/conferences/' + encodeURIComponent(c.focusUri)
      + '/participants/' + encodeURIComponent(p.identity),
      'Remove ' + p.identity + ' from the conference? It gets a BYE and loses its keys.'));
    const td = (cls, v, bad) => el('td', { class: cls + (bad ? ' bad' : '') }, v === undefined || v === null ? '–' : v);
    return el('tr', { 'data-participant': p.identity, 'data-state': p.status },
      el('td', { class: 'who', title: p.identity }, user(p.identity)),
      td('state', p.status === 'CONNECTED' ? 'connected' : 'dialling out'), td('ssrc mono', p.ssrc),
      td('policy', l ? l.fromParticipant.srtpPolicy : null),
      td('fingerprints mono', l ? l.fromParticipant.keyFingerprint + ' / ' + l.toParticipant.keyFingerprint : null),
      el('td', { class: 'call-id mono', title: l ? l.callId : '' }, l ? l.callId : '–'),
      td('in-rate', l ? l.rates.inPerSecond.toFixed(1) : null), td('out-rate', l ? l.rates.outPerSecond.toFixed(1) : null),
      td('received', k ? k.received : null), td('sent', k ? k.sent : null),
      td('auth-failures', k ? k.authFailures : null, k && k.authFailures > 0),
      td('replay-drops', k ? k.replayDrops : null, k && k.replayDrops > 0),
      el('td', {}, p.identity === c.owner ? '' : remove));
  });
  return el('div', { class: 'table-wrap' }, el('table', { class: 'legs' }, el('thead', {}, head),
    el('tbody', {}, ...rows)));
}

async function act(method, path, question) {
  if (!window.confirm(question)) return;
  const r = await api(method, path);
  if (r.status !== 200) {
    window.alert((r.data && (r.data.error + ': ' + (r.data.rule ? r.data.rule + ' – ' : '') + r.data.detail))
      || ('HTTP ' + r.status));
  }
}

// ------------------------------------------------------------------ feeds

function prepend(id, li, fresh) {
  const list = document.getElementById(id);
  if (fresh) li.classList.add('fresh');
  list.prepend(li);
  while (list.children.length > MAX_FEED) list.lastChild.remove();
}

function addRefusal(r, fresh) {
  prepend('refusals', el('li', { class: 'refusal ' + r.kind, 'data-check': r.check, 'data-seq': r.seq },
    el('span', { class: 'when' }, time(r.at)), el('span', { class: 'check' }, r.check),
    el('span', { class: 'party' }, user(r.party) + ': '), el('span', { class: 'detail' }, r.detail)), fresh);
}

function addAudit(a, fresh) {
  prepend('audit', el('li', { class: 'audit ' + a.outcome, 'data-action': a.action, 'data-outcome': a.outcome },
    el('span', { class: 'when' }, time(a.at)),
    el('span', { class: 'what' }, a.action + ' ' + a.outcome.toLowerCase() + ' '),
    el('span', { class: 'target' }, a.target), ' by ', el('span', { class: 'operator' }, a.operator),
    a.detail ? el('div', { class: 'hint' }, a.detail) : null), fresh);
}

function drawKms(k) {
  document.getElementById('kms').hidden = false;
  document.getElementById('kms-url').textContent = k.url;
  const err = document.getElementById('kms-error');
  err.hidden = k.reachable;
  err.textContent = k.reachable ? '' : 'not reachable: ' + (k.error || '');
  document.querySelector('#kms-rates tbody').replaceChildren(...k.rates.map((r) =>
    el('tr', { class: 'kms-rate', 'data-exchange': r.exchange, 'data-outcome': r.outcome },
      el('td', {}, r.exchange), el('td', {}, r.outcome), el('td', { class: 'per-second' }, r.perSecond.toFixed(1)),
      el('td', { class: 'total' }, r.total))));
  const ae = document.getElementById('kms-audit-error');
  ae.hidden = !k.auditError;
  ae.textContent = k.auditError || '';
  document.getElementById('kms-audit').replaceChildren(...k.audit.map((line) => el('li', { class: 'kms-audit' }, line)));
}

document.addEventListener('DOMContentLoaded', start);
