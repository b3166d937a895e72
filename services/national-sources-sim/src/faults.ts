/**
 * Fault injection per source, for tests and demos of the facade's resilience: added latency, an error
 * status, no answer at all ("timeout"), a 200 with a broken body ("malformed"), or a well-formed answer
 * about another test patient than the one asked for ("wrong-patient", a mix-up at the source or a cache).
 */
import type { PatientSourceData, PatientSourceStore, SourceName } from '@ehds-no/core';
import type { RequestHandler, Response } from 'express';
import { outcome } from './fhir-responses.js';
import { FHIR_JSON } from './wire-format.js';

/** The kinds of fault. */
export const FAULT_KINDS = ['latency', 'error', 'timeout', 'malformed', 'wrong-patient'] as const;

/** One kind of fault. */
export type FaultKind = (typeof FAULT_KINDS)[number];

/** A fault on one source: what `PUT /_sim/faults/{source}` takes and `GET /_sim/faults` shows. */
export interface Fault {
  readonly kind: FaultKind;
  /** For `latency`: the delay before the normal answer (default {@link DEFAULT_LATENCY_MS}). */
  readonly latencyMs?: number;
  /** For `error`: the HTTP status (default {@link DEFAULT_ERROR_STATUS}). */
  readonly status?: number;
}

/** Delay of a `latency` fault without `latencyMs`. */
export const DEFAULT_LATENCY_MS = 1000;
/** Status of an `error` fault without `status`. */
export const DEFAULT_ERROR_STATUS = 503;
/** Longest accepted `latencyMs` (two minutes: longer is a `timeout`). */
export const MAX_LATENCY_MS = 120_000;

/** A body that starts like the real one and breaks off: not valid JSON. */
export const MALFORMED_BODY = '{"resourceType":"Bundle","type":"searchset","entry":[{"resource":';

/**
 * Reads a fault from a request body.
 * @returns the fault, or a message saying what is wrong with the body
 */
export function readFault(body: unknown): { ok: true; fault: Fault } | { ok: false; message: string } {
  if (typeof body !== 'object' || body === null) return { ok: false, message: 'the body must be a JSON object' };
  const { kind, latencyMs, status } = body as Record<string, unknown>;
  if (typeof kind !== 'string' || !(FAULT_KINDS as readonly string[]).includes(kind)) return { ok: false, message: `kind must be one of ${FAULT_KINDS.join(', ')}` };
  if (latencyMs !== undefined && (!Number.isInteger(latencyMs) || (latencyMs as number) < 0 || (latencyMs as number) > MAX_LATENCY_MS)) {
    return { ok: false, message: `latencyMs must be an integer from 0 to ${MAX_LATENCY_MS}` };
  }
  if (status !== undefined && (!Number.isInteger(status) || (status as number) < 400 || (status as number) > 599)) return { ok: false, message: 'status must be an HTTP error status (400-599)' };
  return {
    ok: true,
    fault: { kind: kind as FaultKind, ...(latencyMs !== undefined ? { latencyMs: latencyMs as number } : {}), ...(status !== undefined ? { status: status as number } : {}) },
  };
}

/** True when `patient` has something in `source` (another person's empty answer would show nothing). */
function hasData(patient: PatientSourceData, source: SourceName): boolean {
  const data = patient.data;
  switch (source) {
    case 'kjernejournal':
      return true;
    case 'pll':
      return data.pll.bundle !== undefined;
    case 'reseptformidleren':
      return data.reseptformidleren.prescriptions.length > 0;
    case 'npr':
    case 'kpr':
      return data[source].records.length > 0;
  }
}

/**
 * The patient whose data a `wrong-patient` fault serves instead of `asked`'s: the next test patient in the
 * store (after `asked`, wrapping around) that has data in `source`, or any other when none has.
 */
export function anotherPatient(store: PatientSourceStore, source: SourceName, asked: PatientSourceData | undefined): PatientSourceData | undefined {
  const all = store.patients();
  const start = asked ? all.findIndex((p) => p.slug === asked.slug) + 1 : 0;
  const others = [...all.slice(start), ...all.slice(0, start)].filter((p) => p.slug !== asked?.slug && p.key.value !== asked?.key.value);
  return others.find((p) => hasData(p, source)) ?? others[0];
}

/** The faults in force, and the middleware that applies them in front of each source's routes. */
export class FaultInjector {
  private readonly faults = new Map<SourceName, Fault>();
  private readonly held = new Set<Response>();

  /** Sets the fault of a source (replacing any earlier one). */
  set(source: SourceName, fault: Fault): void {
    this.faults.set(source, fault);
  }

  /**
   * Whose data `source` answers with for a request about `asked`: `asked`, or under a `wrong-patient`
   * fault {@link anotherPatient}.
   */
  patientFor(source: SourceName, asked: PatientSourceData | undefined, store: PatientSourceStore): PatientSourceData | undefined {
    return this.faults.get(source)?.kind === 'wrong-patient' ? anotherPatient(store, source, asked) : asked;
  }

  /** Removes the fault of a source. */
  clear(source: SourceName): void {
    this.faults.delete(source);
  }

  /** Removes every fault. */
  clearAll(): void {
    this.faults.clear();
  }

  /** The faults in force, by source. */
  list(): Partial<Record<SourceName, Fault>> {
    return Object.fromEntries(this.faults);
  }

  /** Ends the requests held by `timeout` faults (before the server closes, so that close() can finish). */
  releaseHeld(): void {
    for (const res of this.held) res.destroy();
    this.held.clear();
  }

  /**
   * The middleware for one source's routes.
   * @param contentType the source's media type, used by the `malformed` answer so that only the body is wrong
   */
  middleware(source: SourceName, contentType: string): RequestHandler {
    return (_req, res, next) => {
      const fault = this.faults.get(source);
      if (!fault) return next();
      switch (fault.kind) {
        case 'latency': {
          const timer = setTimeout(next, fault.latencyMs ?? DEFAULT_LATENCY_MS);
          res.on('close', () => clearTimeout(timer));
          return;
        }
        case 'error':
          res.status(fault.status ?? DEFAULT_ERROR_STATUS).type(FHIR_JSON).json(outcome('transient', `simulated failure of ${source}`));
          return;
        case 'timeout':
          // Never answered: the client gives up (its timeout), or releaseHeld() ends it.
          this.held.add(res);
          res.on('close', () => this.held.delete(res));
          return;
        case 'malformed':
          res.status(200).type(contentType).send(MALFORMED_BODY);
          return;
        case 'wrong-patient':
          // Answered normally, but from another patient's data (patientFor, after the header check).
          return next();
      }
    };
  }
}
