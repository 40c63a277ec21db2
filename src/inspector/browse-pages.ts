import { html, jsonBlock, type SafeHtml } from './html.js';
import type { InspectedEvent } from './inspected-event.js';
import type { EventLinks, StreamPage } from './inspector-data.js';
import { empty, eventLink, page, streamLink, type PageContext } from './page-layout.js';

export function eventsTable(ctx: PageContext, events: readonly InspectedEvent[], options: { id?: string } = {}): SafeHtml {
  if (events.length === 0) return empty('No events.');
  return html`<table class="events"${options.id ? html` id="${options.id}"` : ''}>
<thead><tr><th>Position</th><th>Time</th><th>Type</th><th>Stream</th><th>Version</th><th>Event</th></tr></thead>
<tbody>${events.map(
    (e) => html`<tr><td class="num">${e.globalPosition}</td><td class="mono">${e.timestamp}</td><td>${e.eventType}</td>
<td>${streamLink(ctx, e.aggregateId)} <span class="muted">${e.aggregateType}</span></td><td class="num">${e.aggregateVersion}</td><td class="mono">${eventLink(ctx, e.eventId)}</td></tr>`,
  )}</tbody></table>`;
}

export function streamsPage(ctx: PageContext, query: { id: string; type: string }, page_: StreamPage): SafeHtml {
  const { streams, total, next } = page_;
  const nextQuery = next === null ? '' : new URLSearchParams({ id: query.id, type: query.type, after: next }).toString();
  return page(
    ctx,
    'streams',
    'Streams',
    html`<form class="search" method="get" action="${ctx.base}/streams">
<label>Stream id starts with <input name="id" value="${query.id}" placeholder="e.g. order-"></label>
<label>Type <input name="type" value="${query.type}" placeholder="aggregate type"></label>
<button type="submit">Search</button>
</form>
<p class="muted" id="stream-total">${total} ${total === 1 ? 'stream' : 'streams'}</p>
${
  streams.length === 0
    ? empty('No streams found.')
    : html`<table class="streams"><thead><tr><th>Stream</th><th>Type</th><th>Version</th><th>Created</th><th>Updated</th></tr></thead>
<tbody>${streams.map(
        (s) => html`<tr><td>${streamLink(ctx, s.aggregateId)}</td><td>${s.aggregateType}</td><td class="num">${s.version}</td><td class="mono">${s.createdAt}</td><td class="mono">${s.updatedAt}</td></tr>`,
      )}</tbody></table>`
}
${next === null ? '' : html`<p><a href="${ctx.base}/streams?${nextQuery}" id="next-page">Next page</a></p>`}`,
  );
}

export function streamPage(ctx: PageContext, aggregateId: string, events: readonly InspectedEvent[]): SafeHtml {
  return page(ctx, 'stream', `Stream ${aggregateId}`, eventsTable(ctx, events));
}

function linkList(ctx: PageContext, events: readonly InspectedEvent[], none: string): SafeHtml {
  if (events.length === 0) return empty(none);
  return html`<ul class="links">${events.map(
    (e) => html`<li>${eventLink(ctx, e.eventId, e.eventType)} in ${streamLink(ctx, e.aggregateId)} <span class="muted">v${e.aggregateVersion} · #${e.globalPosition}</span></li>`,
  )}</ul>`;
}

export function eventPage(ctx: PageContext, event: InspectedEvent, links: EventLinks): SafeHtml {
  return page(
    ctx,
    'event',
    `Event ${event.eventType}`,
    html`<dl class="envelope">
<dt>Event id</dt><dd class="mono">${event.eventId}</dd>
<dt>Type</dt><dd>${event.eventType} <span class="muted">schema v${event.schemaVersion}</span></dd>
<dt>Stream</dt><dd>${streamLink(ctx, event.aggregateId)} <span class="muted">${event.aggregateType} v${event.aggregateVersion}</span></dd>
<dt>Position</dt><dd>${event.globalPosition}</dd>
<dt>Time</dt><dd class="mono">${event.timestamp}</dd>
</dl>
<h2>Data</h2>
<div id="event-data">${jsonBlock(event.data)}</div>
<h2>Metadata</h2>
<div id="event-metadata">${jsonBlock(event.metadata)}</div>
<h2>Caused by</h2>
${linkList(ctx, links.cause ? [links.cause] : [], 'No causation id, or its event is not in this store.')}
<h2>Caused</h2>
${linkList(ctx, links.effects, 'No recent event names this one as its cause.')}
<h2>Same correlation</h2>
${linkList(ctx, links.correlated, 'No other recent event shares its correlation id.')}`,
  );
}
