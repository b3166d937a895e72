/**
 * Resilience around the national sources: each fetch has a timeout, each source a circuit breaker, and
 * the last good answer of each source is kept per patient so that a summary can still be built (marked
 * stale) while a source is down. The result of a fetch is a {@link SourceOutcome}; only
 * {@link PatientNotKnown} is thrown, because "this person does not exist" is an answer, not a failure.
 *
 * Every answer is checked to be about the person asked for (patient-match.ts) before it is used or
 * stored: an answer about someone else is a failure of the source, like an outage, and nothing of it is
 * kept. The last snapshot is checked again before it stands in, so that nothing stored without the check
 * (by an earlier version, or by anything else writing the store) reaches a summary.
 *
 * Failure reasons end up in logs and in summary narratives, so they are fixed phrases chosen here or by
 * an adapter through {@link SourceFailure}: never an error message from elsewhere, which could carry a
 * person number or clinical content.
 */
import { answerIsAbout } from './patient-match.js';
import {
  PatientNotKnown,
  type PatientKey, type SourceDataMap, type SourceName, type SourceOutcome, type SourceOutcomes, type SourcePort, type SourceSnapshot,
} from './source-data.js';

/** Where the time comes from (a fake one in tests). */
export interface Clock {
  now(): Date;
}

/** The system clock. */
export const systemClock: Clock = { now: () => new Date() };

/**
 * The last successful fetch of each source per patient. Only successful fetches are written; a failed
 * fetch never overwrites or deletes what is stored.
 */
export interface SnapshotCache {
  /** The last snapshot of `source` for `patient`, if any was ever stored. */
  get<N extends SourceName>(source: N, patient: PatientKey): Promise<SourceSnapshot<N> | undefined>;
  /** Stores `snapshot` as the last one of its source for `patient`, unless a newer one is stored already. */
  put<N extends SourceName>(snapshot: SourceSnapshot<N>, patient: PatientKey): Promise<void>;
}

/** One port per source. */
export type SourcePorts = { readonly [N in SourceName]: SourcePort<N> };

/** The fixed failure phrases of this module; adapters add their own through {@link SourceFailure}. */
export const FAILURE_REASON = {
  circuitOpen: 'circuit open',
  malformedBody: 'malformed response body',
  unreachable: 'source unreachable',
  aborted: 'request aborted',
  failed: 'source failed',
  /** The answer was about someone else than the person asked for (never says who). */
  anotherPerson: 'answer about another person',
} as const;

/** The reason of a fetch that took longer than `ms`. */
export function timedOutReason(ms: number): string {
  return `timed out after ${ms} ms`;
}

/** The reason of an HTTP error status. */
export function httpStatusReason(status: number): string {
  return `HTTP ${status}`;
}

/**
 * A source failure with a reason that is safe to log and show: a fixed phrase, never data. Adapters throw
 * it; the resilience layer uses its `reason` as is and replaces any other error by a generic phrase.
 * @example throw new SourceFailure(httpStatusReason(503))
 */
export class SourceFailure extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'SourceFailure';
  }
}

/**
 * How a fetch ended, for metrics. `patient-mismatch`: the source answered about another person than the
 * one asked for (a security event as much as a failure).
 */
export type SourceFetchResult = 'ok' | 'not-known' | 'failure' | 'timeout' | 'circuit-open' | 'patient-mismatch';

/** What an observer hears about each fetch. */
export interface SourceFetchObservation {
  readonly source: SourceName;
  /** Time spent, in seconds (0 when the breaker refused the call). */
  readonly seconds: number;
  readonly result: SourceFetchResult;
}

/** Called once per fetch, e.g. to record Prometheus metrics in the facade (the library has no metrics). */
export type SourceFetchObserver = (observation: SourceFetchObservation) => void;

/** Settings of {@link ResilientSource}. */
export interface ResilienceOptions {
  /** How long one fetch may take before it is abandoned (default {@link DEFAULT_RESILIENCE.timeoutMs}). */
  readonly timeoutMs?: number;
  /** Consecutive failures that open the circuit (default {@link DEFAULT_RESILIENCE.breakerFailures}). */
  readonly breakerFailures?: number;
  /** How long an open circuit refuses calls before one trial call (default {@link DEFAULT_RESILIENCE.breakerResetMs}). */
  readonly breakerResetMs?: number;
  readonly clock?: Clock;
  readonly observe?: SourceFetchObserver;
}

/** Defaults of {@link ResilienceOptions}. */
export const DEFAULT_RESILIENCE = { timeoutMs: 2000, breakerFailures: 5, breakerResetMs: 30_000 } as const;

/** State of a {@link CircuitBreaker}. */
export type BreakerState = 'closed' | 'open' | 'half-open';

/**
 * A circuit breaker: closed until `failures` consecutive failures, then open for `resetMs` (calls are
 * refused without reaching the source), then half-open: one trial call is let through; its success closes
 * the circuit, its failure opens it again for another `resetMs`.
 */
export class CircuitBreaker {
  private consecutiveFailures = 0;
  private openedAt: number | undefined;
  private trialInFlight = false;

  constructor(
    private readonly failures: number,
    private readonly resetMs: number,
    private readonly clock: Clock,
  ) {}

  /** The state now. */
  state(): BreakerState {
    if (this.openedAt === undefined) return 'closed';
    return this.clock.now().getTime() - this.openedAt >= this.resetMs ? 'half-open' : 'open';
  }

  /** Asks to make a call: false when it must fail fast. A true in half-open state takes the one trial. */
  tryAcquire(): boolean {
    const state = this.state();
    if (state === 'closed') return true;
    if (state === 'open' || this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  /** The source answered (data, or "patient not known"). */
  recordSuccess(): void {
    this.consecutiveFailures = 0;
    this.openedAt = undefined;
    this.trialInFlight = false;
  }

  /** The source failed (error, malformed answer or timeout). */
  recordFailure(): void {
    this.trialInFlight = false;
    this.consecutiveFailures += 1;
    // A failed trial re-opens at once; in the closed state only the N-th consecutive failure opens.
    if (this.openedAt !== undefined || this.consecutiveFailures >= this.failures) this.openedAt = this.clock.now().getTime();
  }

  /** The call ended without a verdict on the source (the caller gave up): the trial slot is freed. */
  release(): void {
    this.trialInFlight = false;
  }
}

/** How one call of a port ended. */
type Attempt<N extends SourceName> =
  | { readonly kind: 'data'; readonly data: SourceDataMap[N] }
  | { readonly kind: 'error'; readonly error: unknown }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'aborted' };

/** The safe reason for an error from a port. */
function reasonOf(error: unknown): string {
  return error instanceof SourceFailure ? error.reason : FAILURE_REASON.failed;
}

/**
 * Runs `port.fetch` with an abort signal that fires after `timeoutMs` or when `outer` aborts. Settles at
 * the timeout or the outer abort even if the port ignores its signal, so a hanging source cannot hang
 * the caller.
 */
async function attempt<N extends SourceName>(port: SourcePort<N>, patient: PatientKey, timeoutMs: number, outer: AbortSignal | undefined): Promise<Attempt<N>> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let onOuterAbort: (() => void) | undefined;
  const cutOff = new Promise<Attempt<N>>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(new SourceFailure(timedOutReason(timeoutMs)));
      resolve({ kind: 'timeout' });
    }, timeoutMs);
    onOuterAbort = () => {
      controller.abort(outer?.reason);
      resolve({ kind: 'aborted' });
    };
    outer?.addEventListener('abort', onOuterAbort, { once: true });
  });
  // Through a new Promise so that a port throwing synchronously counts as a failed fetch.
  const fetched = new Promise<SourceDataMap[N]>((resolve) => resolve(port.fetch(patient, controller.signal))).then(
    (data): Attempt<N> => ({ kind: 'data', data }),
    (error: unknown): Attempt<N> => ({ kind: 'error', error }),
  );
  try {
    return await Promise.race([fetched, cutOff]);
  } finally {
    clearTimeout(timer);
    if (onOuterAbort) outer?.removeEventListener('abort', onOuterAbort);
  }
}

/**
 * One source with timeout, circuit breaker and fallback to its last snapshot. Keep one instance per
 * source for the life of the service: the breaker's state lives in it.
 * @example
 * const kj = new ResilientSource(kjernejournalPort, { timeoutMs: 2000 });
 * const outcome = await kj.fetch(patient, cache); // fresh, stale or unavailable
 */
export class ResilientSource<N extends SourceName> {
  readonly name: N;
  private readonly breaker: CircuitBreaker;
  private readonly timeoutMs: number;
  private readonly clock: Clock;
  private readonly observe: SourceFetchObserver;

  constructor(
    private readonly port: SourcePort<N>,
    options: ResilienceOptions = {},
  ) {
    this.name = port.name;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_RESILIENCE.timeoutMs;
    this.clock = options.clock ?? systemClock;
    this.observe = options.observe ?? (() => undefined);
    this.breaker = new CircuitBreaker(options.breakerFailures ?? DEFAULT_RESILIENCE.breakerFailures, options.breakerResetMs ?? DEFAULT_RESILIENCE.breakerResetMs, this.clock);
  }

  /** The breaker's state now (for health reporting and tests). */
  breakerState(): BreakerState {
    return this.breaker.state();
  }

  /**
   * Fetches the patient's data from the source.
   * @param cache where the last snapshot is read from on failure and written to on success
   * @param signal aborts the fetch when the caller gives up (then the promise rejects with its reason)
   * @returns `fresh` with the new snapshot, `stale` with the last snapshot and the failure reason, or
   *   `unavailable` with the reason when nothing was ever fetched
   * @throws {PatientNotKnown} when the source says the person is not known (not a failure)
   */
  async fetch(patient: PatientKey, cache: SnapshotCache, signal?: AbortSignal): Promise<SourceOutcome<N>> {
    signal?.throwIfAborted();
    if (!this.breaker.tryAcquire()) {
      this.observe({ source: this.name, seconds: 0, result: 'circuit-open' });
      return this.fallback(patient, cache, FAILURE_REASON.circuitOpen);
    }
    const startedAt = this.clock.now();
    const started = performance.now();
    const result = await attempt(this.port, patient, this.timeoutMs, signal);
    const seconds = (performance.now() - started) / 1000;
    if (result.kind === 'data' && !answerIsAbout(this.name, result.data, patient)) {
      // Another person's data is never data: not stored, not used, and a failure of the source for the breaker.
      this.breaker.recordFailure();
      this.observe({ source: this.name, seconds, result: 'patient-mismatch' });
      return this.fallback(patient, cache, FAILURE_REASON.anotherPerson);
    }
    if (result.kind === 'data') {
      this.breaker.recordSuccess();
      this.observe({ source: this.name, seconds, result: 'ok' });
      // The start of the fetch dates the data: a slower, older fetch then never replaces a newer snapshot.
      const snapshot: SourceSnapshot<N> = { source: this.name, fetchedAt: startedAt.toISOString(), data: result.data };
      await cache.put(snapshot, patient);
      return { status: 'fresh', snapshot };
    }
    if (result.kind === 'error' && result.error instanceof PatientNotKnown) {
      this.breaker.recordSuccess();
      this.observe({ source: this.name, seconds, result: 'not-known' });
      throw result.error;
    }
    if (result.kind === 'aborted' || signal?.aborted) {
      // The caller gave up: that says nothing about the source.
      this.breaker.release();
      throw signal?.reason;
    }
    this.breaker.recordFailure();
    this.observe({ source: this.name, seconds, result: result.kind === 'timeout' ? 'timeout' : 'failure' });
    return this.fallback(patient, cache, result.kind === 'timeout' ? timedOutReason(this.timeoutMs) : reasonOf(result.error));
  }

  private async fallback(patient: PatientKey, cache: SnapshotCache, failure: string): Promise<SourceOutcome<N>> {
    const snapshot = await cache.get(this.name, patient);
    // A stored snapshot that is not about the patient is as good as none.
    return snapshot && answerIsAbout(this.name, snapshot.data, patient) ? { status: 'stale', snapshot, failure } : { status: 'unavailable', failure };
  }
}

/** One {@link ResilientSource} per source. */
export type ResilientSources = { readonly [N in SourceName]: ResilientSource<N> };

/**
 * Wraps the five ports, each with its own breaker and the same settings.
 * @example const sources = resilientSources(ports, { timeoutMs: config.sources.timeoutMs, observe: metrics.observeSourceFetch });
 */
export function resilientSources(ports: SourcePorts, options: ResilienceOptions = {}): ResilientSources {
  return {
    kjernejournal: new ResilientSource(ports.kjernejournal, options),
    pll: new ResilientSource(ports.pll, options),
    reseptformidleren: new ResilientSource(ports.reseptformidleren, options),
    npr: new ResilientSource(ports.npr, options),
    kpr: new ResilientSource(ports.kpr, options),
  };
}

/** Options of {@link fetchAllSources}. */
export interface FetchAllOptions {
  /** Aborts every fetch when the caller gives up. */
  readonly signal?: AbortSignal;
}

/**
 * Fetches all five sources in parallel.
 * @returns each source's outcome
 * @throws {PatientNotKnown} when Kjernejournal does not know the person; the other fetches are then aborted
 * @example const outcomes = await fetchAllSources(sources, cache, { system: IDENTIFIER_SYSTEM.fnr, value });
 */
export async function fetchAllSources(sources: ResilientSources, cache: SnapshotCache, patient: PatientKey, options: FetchAllOptions = {}): Promise<SourceOutcomes> {
  const controller = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
  try {
    const [kjernejournal, pll, reseptformidleren, npr, kpr] = await Promise.all([
      sources.kjernejournal.fetch(patient, cache, signal),
      sources.pll.fetch(patient, cache, signal),
      sources.reseptformidleren.fetch(patient, cache, signal),
      sources.npr.fetch(patient, cache, signal),
      sources.kpr.fetch(patient, cache, signal),
    ]);
    return { kjernejournal, pll, reseptformidleren, npr, kpr };
  } catch (e) {
    // The rest are not needed once one has failed the build (PatientNotKnown, or the cache is down).
    controller.abort(e);
    throw e;
  }
}
