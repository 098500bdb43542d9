// Prometheus metrics for the service: request counts and latencies, engine batch sizes, queue depth, the active model.
import type { RequestHandler } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { BatchStats } from '../engine';

export interface ServiceMetricsOptions {
  /** Sampled at scrape time so the gauge is never stale. */
  queueDepth: () => number;
  activeModel: () => string;
  /** Open models (active and still-held), for churnscope_model_info; absent: that gauge stays empty. */
  loadedModels?: () => readonly ModelInfoLabels[];
  /**
   * PSI per drift signal over the default window, for churnscope_drift_psi. Must be cheap: DriftMonitor.latest()
   * recomputes at most every refreshSeconds. Absent, or no report yet: the gauge stays empty.
   */
  driftPsi?: () => Promise<readonly { name: string; psi: number | null }[]>;
}

/** What /v1/score admission control admits now (ScoreAdmission.state()). */
export interface AdmissionState {
  /** Share of maxQueueWaitMs the in-flight bound fills (backs off after late drops). */
  fraction: number;
  /** Requests that may be in flight; Infinity while the completion rate is unknown. */
  limit: number;
}

export interface ModelInfoLabels {
  version: string;
  provider: string;
  precision: string;
  modelFile: string;
  active: boolean;
}

/** One registry per app instance (no process-global registry), so tests can build many apps. */
export class ServiceMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly latency: Histogram<'method' | 'route'>;
  private readonly batchSize: Histogram;
  private readonly batchPadding: Histogram;
  private readonly batchSeconds: Histogram;
  /** Set by createApp once its admission control exists; until then the admission gauges stay empty. */
  private admission: (() => AdmissionState) | undefined;

  constructor(opts: ServiceMetricsOptions) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'churnscope_' });
    this.requests = new Counter({
      name: 'churnscope_http_requests_total',
      help: 'HTTP requests by route and status',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.latency = new Histogram({
      name: 'churnscope_http_request_duration_seconds',
      help: 'HTTP request latency',
      labelNames: ['method', 'route'],
      registers,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    });
    this.batchSize = new Histogram({
      name: 'churnscope_engine_batch_size',
      help: 'Windows per model call',
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
      registers,
    });
    this.batchPadding = new Histogram({
      name: 'churnscope_engine_batch_padding_ratio',
      help: 'Padded tokens per real token, minus one',
      buckets: [0, 0.05, 0.1, 0.2, 0.5, 1, 2],
      registers,
    });
    // What one batch adds to a request's wait: the bound admission control promises is maxQueueWaitMs plus one batch.
    this.batchSeconds = new Histogram({
      name: 'churnscope_engine_batch_duration_seconds',
      help: 'Model time per batch',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers,
    });
    new Gauge({
      name: 'churnscope_engine_queue_depth',
      help: 'Windows waiting for the model',
      registers,
      collect() {
        this.set(opts.queueDepth());
      },
    });
    new Gauge({
      name: 'churnscope_active_model_info',
      help: 'The model serving requests (value 1)',
      labelNames: ['version'],
      registers,
      collect() {
        this.reset();
        this.set({ version: opts.activeModel() }, 1);
      },
    });
    new Gauge({
      name: 'churnscope_model_info',
      help: 'Open models (value 1): execution provider, precision and ONNX file; state active, or draining while held',
      labelNames: ['version', 'provider', 'precision', 'file', 'state'],
      registers,
      collect() {
        this.reset();
        for (const m of opts.loadedModels?.() ?? []) {
          const state = m.active ? 'active' : 'draining';
          this.set({ version: m.version, provider: m.provider, precision: m.precision, file: m.modelFile, state }, 1);
        }
      },
    });
    const admission = () => this.admission?.();
    new Gauge({
      name: 'churnscope_admission_fraction',
      help: 'Share of maxQueueWaitMs the /v1/score in-flight bound fills (0.5, lower after admitted requests were dropped late)',
      registers,
      collect() {
        const a = admission();
        if (a) this.set(a.fraction);
      },
    });
    new Gauge({
      name: 'churnscope_admission_in_flight_limit',
      help: '/v1/score requests that may be in flight now (absent while the completion rate is unknown)',
      registers,
      collect() {
        const a = admission();
        if (a && Number.isFinite(a.limit)) this.set(a.limit);
      },
    });
    new Gauge({
      name: 'churnscope_drift_psi',
      help: "Population stability index of each drift signal over the default window against the active model's reference",
      labelNames: ['signal'],
      registers,
      async collect() {
        const signals = (await opts.driftPsi?.()) ?? [];
        this.reset();
        for (const s of signals) if (s.psi !== null) this.set({ signal: s.name }, s.psi);
      },
    });
  }

  /** Records every response once it finishes; the route label is the matched pattern, never the raw URL. */
  middleware(): RequestHandler {
    return (req, res, next) => {
      const end = this.latency.startTimer();
      res.on('finish', () => {
        // Express types req.route as any; when a route matched, its path is the pattern it was declared with.
        const matched = (req.route as { path?: string | RegExp } | undefined)?.path;
        const route = matched ? `${req.baseUrl}${matched.toString()}` : 'unmatched';
        end({ method: req.method, route });
        this.requests.inc({ method: req.method, route, status: String(res.statusCode) });
      });
      next();
    };
  }

  /** Samples /v1/score admission at scrape time (createApp wires it). */
  watchAdmission(state: () => AdmissionState): void {
    this.admission = state;
  }

  observeBatch(stats: BatchStats): void {
    this.batchSize.observe(stats.size);
    this.batchPadding.observe(stats.realTokens ? stats.paddedTokens / stats.realTokens - 1 : 0);
    this.batchSeconds.observe(stats.ms / 1000);
  }

  handler(): RequestHandler {
    return async (_req, res) => {
      res.set('content-type', this.registry.contentType).send(await this.registry.metrics());
    };
  }
}
