import type { SagaState } from '../saga/saga-instance.js';
import { SAGA_STATUSES } from '../saga/saga-instance.js';
import { lagBar, rateChart } from './charts.js';
import { html, type SafeHtml } from './html.js';
import { LAG_CAP, type SubscriptionInfo } from './inspector-data.js';
import { empty, page, type PageContext } from './page-layout.js';
import type { EventRate } from './recent-records.js';

export interface Overview {
  head: string;
  rate: EventRate;
  subscriptions: SubscriptionInfo[];
  sagas: Record<string, number>;
  deadLetters: number;
}

export function sagaCounts(sagas: readonly SagaState[]): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(SAGA_STATUSES.map((s) => [s, 0]));
  for (const saga of sagas) counts[saga.status] = (counts[saga.status] ?? 0) + 1;
  return counts;
}

export function subscriptionsTable(ctx: PageContext, subscriptions: readonly SubscriptionInfo[]): SafeHtml {
  if (subscriptions.length === 0) return empty('No subscriptions given to the inspector (the subscriptions option).');
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
