import { lagBar, rateChart } from './charts.js';
import { html, type SafeHtml } from './html.js';
import { LAG_CAP, type SubscriptionInfo } from './inspector-data.js';
import { empty, page, type PageContext } from './page-layout.js';
import type { EventRate } from './recent-records.js';

export interface Overview {
  head: string;
  streams: number;
  rate: EventRate;
  subscriptions: SubscriptionInfo[];
  sagas: Record<string, number>;
  deadLetters: number;
}

export function subscriptionsTable(ctx: PageContext, subscriptions: readonly SubscriptionInfo[]): SafeHtml {
  if (subscriptions.length === 0) return empty('No subscription has stored a checkpoint yet.');
  const max = Math.max(1, ...subscriptions.map((s) => s.lag));
  return html`<table class="subscriptions">
<thead><tr><th>Subscription</th><th>State</th><th>Owner</th><th>Checkpoint</th><th>Lag</th><th></th><th>Dead letters</th></tr></thead>
<tbody>${subscriptions.map(
    (s) => html`<tr data-subscription="${s.id}">
<td>${s.id}</td><td>${s.owner ? 'running' : 'stopped'}</td><td class="mono">${s.owner ?? '—'}</td><td>${s.checkpoint ?? 'none'}</td>
<td class="num lag-count">${s.lag}${s.lagCapped ? '+' : ''}</td><td>${lagBar(s.lag, Math.min(max, LAG_CAP), s.lagCapped)}</td>
<td class="num">${s.deadLetters > 0 ? html`<a href="${ctx.base}/dead-letters">${s.deadLetters}</a>` : '0'}</td></tr>`,
  )}</tbody></table>`;
}

export function overviewPage(ctx: PageContext, overview: Overview): SafeHtml {
  return page(
    ctx,
    'overview',
    'Overview',
    html`<section class="cards">
<div class="card"><span class="value" id="head-position">${overview.head}</span><span class="caption">head position</span></div>
<a class="card" href="${ctx.base}/streams"><span class="value" id="stream-count">${overview.streams}</span><span class="caption">streams</span></a>
<div class="card"><span class="value" id="dead-letter-count">${overview.deadLetters}</span><span class="caption">dead letters</span></div>
${Object.entries(overview.sagas).map(
  ([status, n]) => html`<a class="card" href="${ctx.base}/sagas?status=${status}"><span class="value">${n}</span><span class="caption">sagas ${status}</span></a>`,
)}
</section>
<h2>Events per second</h2>
${rateChart(overview.rate)}
<h2>Subscriptions</h2>
${subscriptionsTable(ctx, overview.subscriptions)}`,
  );
}
