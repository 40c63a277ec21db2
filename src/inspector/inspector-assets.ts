/**
 * The inspector's only two assets, served by the handler itself: it works offline and the
 * Content-Security-Policy allows nothing else (no CDN, no inline script or style).
 */

export const INSPECTOR_CSS = `
:root { --fg: #1d2330; --muted: #6b7280; --line: #e3e6ec; --accent: #3457d5; --bad: #c2362b; --ok: #2f8f4e; --warn: #c77c02; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: #f7f8fa; }
header { display: flex; gap: 1.5rem; align-items: center; padding: .6rem 1.5rem; background: #1d2330; color: #fff; }
header a { color: #cfd6e4; text-decoration: none; }
header a.brand { color: #fff; font-weight: 600; }
header nav { display: flex; gap: 1rem; flex: 1; }
header nav a.active { color: #fff; border-bottom: 2px solid #8da4ff; }
.mode { font-size: 12px; padding: 2px 8px; border-radius: 10px; background: #39414f; }
.mode.writes { background: var(--warn); }
main { padding: 1rem 1.5rem 3rem; max-width: 1200px; }
h1 { font-size: 1.4rem; margin: .4rem 0 1rem; }
h2 { font-size: 1.05rem; margin: 1.6rem 0 .5rem; }
a { color: var(--accent); }
table { border-collapse: collapse; width: 100%; background: #fff; border: 1px solid var(--line); }
th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; background: #f0f2f6; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.mono, pre { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; }
.muted { color: var(--muted); }
.error { color: var(--bad); }
.empty { color: var(--muted); font-style: italic; }
.cards { display: flex; flex-wrap: wrap; gap: .8rem; }
.card { display: flex; flex-direction: column; min-width: 120px; padding: .7rem 1rem; background: #fff; border: 1px solid var(--line); border-radius: 6px; text-decoration: none; color: inherit; }
.card .value { font-size: 1.5rem; font-weight: 600; }
.card .caption { color: var(--muted); font-size: 12px; }
.chart { margin: 0; background: #fff; border: 1px solid var(--line); padding: .6rem; display: inline-block; }
.chart rect.bar { fill: var(--accent); }
.chart .axis { stroke: #9aa3b2; }
.chart .label { font-size: 10px; fill: var(--muted); }
.chart figcaption { color: var(--muted); font-size: 12px; }
svg.lag rect.track { fill: #eceff4; }
svg.lag rect.ok { fill: var(--ok); }
svg.lag rect.behind { fill: var(--warn); }
pre.json { background: #fff; border: 1px solid var(--line); padding: .7rem; overflow: auto; white-space: pre-wrap; word-break: break-word; }
dl.envelope { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; background: #fff; border: 1px solid var(--line); padding: .7rem; }
dl.envelope dt { color: var(--muted); }
dl.envelope dd { margin: 0; }
form.search { display: flex; gap: .8rem; align-items: end; margin-bottom: 1rem; }
form.search label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); }
input { font: inherit; padding: .3rem .5rem; border: 1px solid #c9ced8; border-radius: 4px; }
button { font: inherit; padding: .3rem .8rem; border: 1px solid var(--accent); background: var(--accent); color: #fff; border-radius: 4px; cursor: pointer; }
form.inline { display: inline; margin-left: .6rem; }
form.inline button { font-size: 12px; padding: .15rem .6rem; }
.notice { background: #eef3ff; border: 1px solid #c8d4ff; padding: .5rem .8rem; border-radius: 4px; }
.filters { display: flex; gap: .8rem; margin-bottom: .8rem; }
.filters a.active { font-weight: 600; text-decoration: none; color: var(--fg); }
.status { padding: 1px 8px; border-radius: 10px; font-size: 12px; background: #e5e7eb; }
.status.completed { background: #d6f0de; } .status.compensated { background: #fde9c8; }
.status.failed { background: #f8d3cf; } .status.running, .status.compensating { background: #dbe4ff; }
ol.timeline { list-style: none; padding: 0; border-left: 3px solid var(--line); margin-left: .5rem; }
ol.timeline li { position: relative; padding: .3rem 0 .3rem 1rem; }
ol.timeline li::before { content: ""; position: absolute; left: -8px; top: .65rem; width: 12px; height: 12px; border-radius: 50%; background: #9aa3b2; }
ol.timeline li.completed::before, ol.timeline li.end-completed::before { background: var(--ok); }
ol.timeline li.failed::before, ol.timeline li.end-failed::before { background: var(--bad); }
ol.timeline li.compensating::before, ol.timeline li.compensated::before, ol.timeline li.end-compensated::before { background: var(--warn); }
ul.links { background: #fff; border: 1px solid var(--line); padding: .5rem 1.5rem; }
`;

/** The live tail: polls the JSON API and adds rows with textContent (never as markup). */
export const INSPECTOR_JS = `'use strict';
(function () {
  var table = document.getElementById('tail');
  if (!table) return;
  var base = document.body.getAttribute('data-base') || '';
  var after = table.getAttribute('data-after') || '0';
  var body = table.querySelector('tbody');
  var status = document.getElementById('tail-status');
  function cell(row, text, className) {
    var td = document.createElement('td');
    if (className) td.className = className;
    td.textContent = text;
    row.appendChild(td);
    return td;
  }
  function link(td, href, text) {
    var a = document.createElement('a');
    a.href = href;
    a.textContent = text;
    td.textContent = '';
    td.appendChild(a);
  }
  function add(e) {
    var row = document.createElement('tr');
    cell(row, e.globalPosition, 'num');
    cell(row, e.timestamp, 'mono');
    cell(row, e.eventType);
    link(cell(row, ''), base + '/streams/' + encodeURIComponent(e.aggregateId), e.aggregateId);
    cell(row, String(e.aggregateVersion), 'num');
    link(cell(row, '', 'mono'), base + '/events/' + encodeURIComponent(e.eventId), e.eventId);
    body.insertBefore(row, body.firstChild);
    while (body.children.length > 500) body.removeChild(body.lastChild);
  }
  function poll() {
    fetch(base + '/api/events?after=' + encodeURIComponent(after) + '&limit=200', { credentials: 'same-origin' })
      .then(function (r) { if (!r.ok) throw new Error('HTTP ' + r.status); return r.json(); })
      .then(function (page) {
        page.events.forEach(add);
        if (page.events.length > 0) after = page.events[page.events.length - 1].globalPosition;
        status.textContent = 'live, at position ' + after;
      })
      .catch(function (err) { status.textContent = 'disconnected (' + err.message + '), retrying'; })
      .then(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
`;
