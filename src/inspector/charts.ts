import { html, type SafeHtml } from './html.js';
import type { EventRate } from './recent-records.js';

const WIDTH = 600;
const HEIGHT = 140;

/** Events per second as an SVG bar chart (attributes only: no inline style, which the CSP forbids). */
export function rateChart(rate: EventRate): SafeHtml {
  const perSecond = rate.buckets.map((b) => b.count / rate.bucketSeconds);
  const max = Math.max(1, ...perSecond);
  const slot = WIDTH / Math.max(1, perSecond.length);
  const minutes = Math.round((rate.buckets.length * rate.bucketSeconds) / 60);
  const bars = perSecond.map((value, i) => {
    const h = Math.round((value / max) * (HEIGHT - 20));
    const bucket = rate.buckets[i];
    return html`<rect class="bar" x="${(i * slot + 1).toFixed(1)}" y="${HEIGHT - h}" width="${Math.max(1, slot - 2).toFixed(1)}" height="${h}"><title>${bucket?.start ?? ''}: ${value.toFixed(1)} events/s</title></rect>`;
  });
  return html`<figure class="chart">
<svg viewBox="0 0 ${WIDTH} ${HEIGHT + 16}" width="${WIDTH}" height="${HEIGHT + 16}" role="img" aria-label="events per second over the last ${minutes} minutes">
<line x1="0" y1="${HEIGHT}" x2="${WIDTH}" y2="${HEIGHT}" class="axis"/>
${bars}
<text x="0" y="${HEIGHT + 13}" class="label">−${minutes} min</text>
<text x="${WIDTH}" y="${HEIGHT + 13}" class="label" text-anchor="end">now</text>
<text x="2" y="11" class="label">${max.toFixed(1)} events/s</text>
</svg>
<figcaption>Events per second, ${rate.bucketSeconds} s buckets${rate.partial ? ' (only the most recent events were read: older buckets are undercounted)' : ''}.</figcaption>
</figure>`;
}

/** A horizontal bar for a subscription's lag. */
export function lagBar(lag: number, max: number, capped: boolean): SafeHtml {
  const width = 160;
  const w = max === 0 ? 0 : Math.round((Math.min(lag, max) / max) * width);
  return html`<svg class="lag" viewBox="0 0 ${width} 10" width="${width}" height="10" role="img" aria-label="lag ${lag}${capped ? '+' : ''} events"><rect class="track" x="0" y="0" width="${width}" height="10"/><rect class="${lag === 0 ? 'ok' : 'behind'}" x="0" y="0" width="${w}" height="10"/></svg>`;
}
