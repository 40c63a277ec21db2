import type { Meter, Counter, Histogram, ObservableGauge, ObservableResult, Attributes as OtelAttributes } from '@opentelemetry/api';
import type { TelemetryAttributes, GaugeCallback, MetricOptions, MetricRecorder } from './span-types.js';

/** @internal where an instrument gets the meter of the moment: undefined while metrics are off. */
export interface MeterSource {
  /** The meter of the registered provider, or undefined; `generation` changes with the provider. */
  meter(): Meter | undefined;
  generation(): number;
}

function otelOptions(options: MetricOptions): { description?: string; unit?: string; advice?: { explicitBucketBoundaries: number[] } } {
  return {
    ...(options.description === undefined ? {} : { description: options.description }),
    ...(options.unit === undefined ? {} : { unit: options.unit }),
    ...(options.boundaries === undefined ? {} : { advice: { explicitBucketBoundaries: [...options.boundaries] } }),
  };
}

/** @internal a counter or histogram made on the current meter on first use, and again after a provider change. */
export class LazyRecorder implements MetricRecorder {
  readonly #source: MeterSource;
  readonly #name: string;
  readonly #options: MetricOptions;
  readonly #kind: 'counter' | 'histogram';
  #generation = -1;
  #instrument: Counter | Histogram | undefined;

  constructor(source: MeterSource, kind: 'counter' | 'histogram', name: string, options: MetricOptions) {
    this.#source = source;
    this.#kind = kind;
    this.#name = name;
    this.#options = options;
  }

  record(value: number, attributes?: TelemetryAttributes): void {
    const meter = this.#source.meter();
    if (meter === undefined) return;
    if (this.#generation !== this.#source.generation()) {
      this.#generation = this.#source.generation();
      const options = otelOptions(this.#options);
      this.#instrument = this.#kind === 'counter' ? meter.createCounter(this.#name, options) : meter.createHistogram(this.#name, options);
    }
    const instrument = this.#instrument;
    if (instrument === undefined) return;
    if (this.#kind === 'counter') (instrument as Counter).add(value, attributes as OtelAttributes | undefined);
    else (instrument as Histogram).record(value, attributes as OtelAttributes | undefined);
  }
}

/** @internal an observable gauge, registered on the meter of the moment and again after a provider change. */
export class LazyGauge {
  readonly #name: string;
  readonly #options: MetricOptions;
  readonly #callback: GaugeCallback;
  #generation = -1;
  #registered: { gauge: ObservableGauge; observer: (result: ObservableResult) => void | Promise<void> } | undefined;

  constructor(name: string, options: MetricOptions, callback: GaugeCallback) {
    this.#name = name;
    this.#options = options;
    this.#callback = callback;
  }

  /** Registers the gauge on `source`'s meter when the provider changed since. */
  sync(source: MeterSource): void {
    if (this.#generation === source.generation()) return;
    this.#generation = source.generation();
    this.remove();
    const meter = source.meter();
    if (meter === undefined) return;
    const gauge = meter.createObservableGauge(this.#name, otelOptions(this.#options));
    const observer = (result: ObservableResult): void | Promise<void> =>
      this.#callback((value, attributes) => result.observe(value, attributes as OtelAttributes | undefined));
    gauge.addCallback(observer);
    this.#registered = { gauge, observer };
  }

  remove(): void {
    if (this.#registered === undefined) return;
    this.#registered.gauge.removeCallback(this.#registered.observer);
    this.#registered = undefined;
  }
}
