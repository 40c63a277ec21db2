import { METRIC_NAMES } from './attribute-names.js';
import type { GaugeHandle, Instrumentation } from './instrumentation.js';
import type { MetricRecorder } from './span-types.js';

/** A subscription (or projection) whose lag the gauges report while it is active in this process. @internal */
export interface LagSource {
  readonly id: string;
  /** Events after its position that it will handle, and the age in seconds of the oldest (0 when none). */
  measureLag(): Promise<LagMeasure>;
}

export interface LagMeasure {
  events: number;
  oldestAgeSeconds: number;
}

/** Handler durations from 1 ms to a minute: a handler is an I/O call or a few, rarely more. */
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * @internal the handler metrics of one store. `eventuali.subscription.lag` and
 * `eventuali.subscription.lag_seconds` are observable gauges measured when the metrics are
 * collected (one read of the log per subscription active in this process, shared by the two
 * gauges; a standby instance reports nothing, so a fleet reports each subscription once), never on
 * the delivery path. `eventuali.dead_letters` is a counter of the events this process parked (a
 * replay does not lower it; `listDeadLetters()` tells what is parked now).
 */
export class HandlerMetrics {
  readonly duration: MetricRecorder;
  readonly deadLetters: MetricRecorder;
  readonly #sources = new Set<LagSource>();
  readonly #gauges: GaugeHandle[];
  /** The measurement of the collection in progress: both gauges' callbacks share it. */
  #measuring: Promise<Map<LagSource, LagMeasure>> | undefined;

  constructor(instrumentation: Instrumentation) {
    this.duration = instrumentation.histogram(METRIC_NAMES.handlerDuration, {
      description: 'How long a handler took: one event of a subscription, one batch transaction of a projection',
      unit: 's',
      boundaries: DURATION_BUCKETS,
    });
    this.deadLetters = instrumentation.counter(METRIC_NAMES.deadLetters, {
      description: 'Events parked as dead letters by this process, by subscription',
      unit: '{event}',
    });
    this.#gauges = [
      instrumentation.observableGauge(
        METRIC_NAMES.subscriptionLag,
        { description: 'Events after the subscription position that it will handle (counted up to 10,000)', unit: '{event}' },
        async (observe) => {
          for (const [source, measured] of await this.#measure()) observe(measured.events, { 'eventuali.subscription.id': source.id });
        },
      ),
      instrumentation.observableGauge(
        METRIC_NAMES.subscriptionLagSeconds,
        { description: 'Age of the oldest event the subscription has not handled yet (0 when caught up)', unit: 's' },
        async (observe) => {
          for (const [source, measured] of await this.#measure()) observe(measured.oldestAgeSeconds, { 'eventuali.subscription.id': source.id });
        },
      ),
    ];
  }

  /** Reports the source's lag from now on (while it holds its lease). */
  watch(source: LagSource): void {
    this.#sources.add(source);
    this.refresh();
  }

  unwatch(source: LagSource): void {
    this.#sources.delete(source);
  }

  /** Moves the gauges to a meter provider registered since the last call (cheap when none was). */
  refresh(): void {
    for (const gauge of this.#gauges) gauge.refresh();
  }

  /** Stops observing (the store closed). */
  close(): void {
    this.#sources.clear();
    for (const gauge of this.#gauges) gauge.remove();
  }

  #measure(): Promise<Map<LagSource, LagMeasure>> {
    this.#measuring ??= this.#measureAll().finally(() => (this.#measuring = undefined));
    return this.#measuring;
  }

  async #measureAll(): Promise<Map<LagSource, LagMeasure>> {
    const measured = new Map<LagSource, LagMeasure>();
    await Promise.all(
      [...this.#sources].map(async (source) => {
        try {
          measured.set(source, await source.measureLag());
        } catch {
          // Its store is closing or unreachable: no value this time rather than a wrong one.
        }
      }),
    );
    return measured;
  }
}
