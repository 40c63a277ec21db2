import { html, type HtmlValue, type SafeHtml } from './html.js';

/** What every page knows about the request: where the inspector is mounted, what it may do. */
export interface PageContext {
  /** The mount path, without a trailing slash ('' at the root). */
  base: string;
  allowWrites: boolean;
  /** The token, for write forms (only set when a token is configured and the request carried it). */
  token: string | undefined;
}

const NAV = [
  ['overview', '', 'Overview'],
  ['streams', '/streams', 'Streams'],
  ['tail', '/tail', 'Live tail'],
  ['dead-letters', '/dead-letters', 'Dead letters'],
  ['sagas', '/sagas', 'Sagas'],
] as const;

export type PageName = (typeof NAV)[number][0] | 'event' | 'stream' | 'saga';

/** A whole page. No inline script or style: the Content-Security-Policy allows only the two assets. */
export function page(ctx: PageContext, active: PageName, title: string, body: HtmlValue): SafeHtml {
  const { base } = ctx;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · eventuali inspector</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${base}/assets/inspector.css">
<script src="${base}/assets/inspector.js" defer></script>
</head>
<body data-base="${base}" data-page="${active}">
<header>
<a class="brand" href="${base}/">eventuali inspector</a>
<nav>${NAV.map(([name, path, label]) => html`<a href="${base}${path}"${name === active ? html` class="active" aria-current="page"` : ''}>${label}</a>`)}</nav>
<span class="mode ${ctx.allowWrites ? 'writes' : 'readonly'}">${ctx.allowWrites ? 'writes allowed' : 'read-only'}</span>
</header>
<main>
<h1>${title}</h1>
${body}
</main>
</body>
</html>`;
}

export function eventLink(ctx: PageContext, eventId: string, label?: HtmlValue): SafeHtml {
  return html`<a href="${ctx.base}/events/${encodeURIComponent(eventId)}">${label ?? eventId}</a>`;
}

export function streamLink(ctx: PageContext, aggregateId: string): SafeHtml {
  return html`<a href="${ctx.base}/streams/${encodeURIComponent(aggregateId)}">${aggregateId}</a>`;
}

export function sagaLink(ctx: PageContext, sagaId: string): SafeHtml {
  return html`<a href="${ctx.base}/sagas/${encodeURIComponent(sagaId)}">${sagaId}</a>`;
}

export function empty(text: string): SafeHtml {
  return html`<p class="empty">${text}</p>`;
}
