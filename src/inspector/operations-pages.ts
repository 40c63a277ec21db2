import { SAGA_STATUSES, type SagaState } from '../saga/saga-instance.js';
import { html, jsonBlock, type SafeHtml } from './html.js';
import type { InspectedEvent } from './inspected-event.js';
import type { DeadLetterInfo, SubscriptionInfo } from './inspector-data.js';
import { empty, eventLink, page, sagaLink, type PageContext } from './page-layout.js';

export function tailPage(ctx: PageContext, head: string, events: readonly InspectedEvent[]): SafeHtml {
  return page(
    ctx,
    'tail',
    'Live tail',
    html`<p class="muted">New events appear at the top as they are committed (polled every second). <span id="tail-status">waiting</span></p>
<table class="events" id="tail" data-after="${head}">
<thead><tr><th>Position</th><th>Time</th><th>Type</th><th>Stream</th><th>Version</th><th>Event</th></tr></thead>
<tbody>${[...events].reverse().map(
      (e) => html`<tr><td class="num">${e.globalPosition}</td><td class="mono">${e.timestamp}</td><td>${e.eventType}</td>
<td><a href="${ctx.base}/streams/${encodeURIComponent(e.aggregateId)}">${e.aggregateId}</a></td><td class="num">${e.aggregateVersion}</td><td class="mono">${eventLink(ctx, e.eventId)}</td></tr>`,
    )}</tbody></table>`,
  );
}

function writeForm(ctx: PageContext, action: string, label: string, fields: Record<string, string>): SafeHtml {
  return html`<form method="post" action="${ctx.base}/api/${action}" class="inline">
${ctx.token ? html`<input type="hidden" name="token" value="${ctx.token}">` : ''}
${Object.entries(fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
<button type="submit">${label}</button></form>`;
}

export function deadLettersPage(
  ctx: PageContext,
  subscriptions: readonly SubscriptionInfo[],
  letters: readonly DeadLetterInfo[],
  notice: string | undefined,
): SafeHtml {
  const sections = subscriptions
    .filter((s) => s.deadLetters > 0)
    .map((s) => {
      const own = letters.filter((l) => l.subscriptionId === s.id);
      const replay =
        ctx.allowWrites && s.replayable
          ? writeForm(ctx, `subscriptions/${encodeURIComponent(s.id)}/replay-dead-letters`, 'Replay all', {})
          : '';
      return html`<section class="dead-letters" data-subscription="${s.id}">
<h2>${s.id} ${replay}</h2>
<table><thead><tr><th>Position</th><th>Event</th><th>Type</th><th>Attempts</th><th>Failed at</th><th>Error</th><th></th></tr></thead>
<tbody>${own.map(
        (l) => html`<tr data-dead-letter="${l.id}"><td class="num">${l.globalPosition}</td><td class="mono">${eventLink(ctx, l.eventId)}</td><td>${l.eventType}</td>
<td class="num">${l.attempts}</td><td class="mono">${l.failedAt}</td><td class="error">${l.error}</td>
<td>${ctx.allowWrites ? [writeForm(ctx, `dead-letters/${encodeURIComponent(l.id)}/replay`, 'Replay', {}), writeForm(ctx, `dead-letters/${encodeURIComponent(l.id)}/discard`, 'Discard', {})] : ''}</td></tr>`,
      )}</tbody></table></section>`;
    });
  return page(
    ctx,
    'dead-letters',
    'Dead letters',
    html`${notice ? html`<p class="notice" id="notice">${notice}</p>` : ''}
${ctx.allowWrites ? '' : html`<p class="muted">Read-only: replay and discard need the inspector opened with allowWrites.</p>`}
${sections.length === 0 ? empty('No dead letters.') : sections}`,
  );
}

export function sagasPage(ctx: PageContext, status: string, sagas: readonly SagaState[]): SafeHtml {
  return page(
    ctx,
    'sagas',
    'Sagas',
    html`<nav class="filters"><a href="${ctx.base}/sagas"${status === '' ? html` class="active"` : ''}>all</a>${SAGA_STATUSES.map(
      (s) => html`<a href="${ctx.base}/sagas?status=${s}"${s === status ? html` class="active"` : ''}>${s}</a>`,
    )}</nav>
${
  sagas.length === 0
    ? empty('No sagas.')
    : html`<table class="sagas"><thead><tr><th>Saga</th><th>Name</th><th>Status</th><th>Steps completed</th><th>Compensated</th><th>Failure</th><th>Started</th></tr></thead>
<tbody>${sagas.map(
        (s) => html`<tr data-saga="${s.sagaId}"><td class="mono">${sagaLink(ctx, s.sagaId)}</td><td>${s.name}</td><td><span class="status ${s.status}">${s.status}</span></td>
<td>${s.stepsCompleted.join(', ')}</td><td>${s.stepsCompensated.join(', ')}</td><td class="error">${s.failureReason ?? ''}</td><td class="mono">${s.startedAt.toISOString()}</td></tr>`,
      )}</tbody></table>`
}`,
  );
}

const KIND: Record<string, string> = {
  'eventuali.SagaStarted': 'started',
  'eventuali.SagaResumed': 'resumed',
  'eventuali.SagaStepCompleted': 'completed',
  'eventuali.SagaStepFailed': 'failed',
  'eventuali.SagaCompensationStarted': 'compensating',
  'eventuali.SagaStepCompensated': 'compensated',
  'eventuali.SagaCompensated': 'end-compensated',
  'eventuali.SagaCompleted': 'end-completed',
  'eventuali.SagaFailed': 'end-failed',
};

function field(data: unknown, key: string): string | undefined {
  const value = typeof data === 'object' && data !== null ? (data as Record<string, unknown>)[key] : undefined;
  return typeof value === 'string' ? value : undefined;
}

function describeStep(e: InspectedEvent): string {
  const kind = KIND[e.eventType] ?? e.eventType;
  const step = field(e.data, 'step') ?? field(e.data, 'failedStep');
  const reason = field(e.data, 'error') ?? field(e.data, 'reason');
  return [kind.replace('end-', 'saga '), step, reason ? `— ${reason}` : undefined].filter(Boolean).join(' ');
}

export function sagaPage(ctx: PageContext, state: SagaState, steps: readonly InspectedEvent[]): SafeHtml {
  return page(
    ctx,
    'saga',
    `Saga ${state.name}`,
    html`<dl class="envelope">
<dt>Saga id</dt><dd class="mono">${state.sagaId}</dd>
<dt>Status</dt><dd><span class="status ${state.status}" id="saga-status">${state.status}</span></dd>
<dt>Correlation</dt><dd class="mono">${state.correlationId}</dd>
<dt>Failure</dt><dd class="error">${state.failureReason ?? '—'}</dd>
</dl>
<h2>Timeline</h2>
<ol class="timeline" id="saga-timeline">${steps.map(
      (e) => html`<li class="${KIND[e.eventType] ?? 'other'}"><span class="mono">${e.timestamp}</span> ${eventLink(ctx, e.eventId, describeStep(e))}</li>`,
    )}</ol>
<h2>Input</h2>
${jsonBlock(state.input)}`,
  );
}
