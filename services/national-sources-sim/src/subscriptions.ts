/**
 * Change-notification subscribers: endpoints that get a POST of a notification Bundle
 * ({@link buildChangeNotification}) whenever a source's data for a patient is replaced.
 */
import { randomUUID } from 'node:crypto';
import { buildChangeNotification, systemClock, type Clock, type PatientKey, type SourceName } from '@ehds-no/core';
import { FHIR_JSON } from './wire-format.js';

/** A registered subscriber. */
export interface Subscription {
  readonly id: string;
  readonly endpoint: string;
}

/** How the delivery to one subscriber went. */
export interface Delivery {
  readonly subscription: string;
  /** The subscriber's HTTP status, or `failed` when it could not be reached in time. */
  readonly status: number | 'failed';
}

/** Default time a subscriber has to answer a notification. */
export const DEFAULT_NOTIFY_TIMEOUT_MS = 5000;

/** True for an absolute http(s) URL. */
export function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** The subscribers and what each has been sent (event numbers count per subscription). */
export class Subscriptions {
  private readonly subscriptions = new Map<string, Subscription & { events: number; authorization?: string }>();
  private nextId = 1;

  constructor(
    private readonly timeoutMs: number = DEFAULT_NOTIFY_TIMEOUT_MS,
    private readonly clock: Clock = systemClock,
  ) {}

  /**
   * Registers an endpoint.
   * @param authorization the `Authorization` header sent with each notification (FHIR Subscription
   *   `channel.header`), e.g. `Bearer <token>`; never listed back
   * @throws {TypeError} when `endpoint` is not an http(s) URL
   */
  add(endpoint: string, authorization?: string): Subscription {
    if (!isHttpUrl(endpoint)) throw new TypeError('endpoint must be an http(s) URL');
    const subscription = { id: String(this.nextId++), endpoint, events: 0, ...(authorization ? { authorization } : {}) };
    this.subscriptions.set(subscription.id, subscription);
    return { id: subscription.id, endpoint };
  }

  /** Removes a subscriber; false when there was none with this id. */
  remove(id: string): boolean {
    return this.subscriptions.delete(id);
  }

  /** The subscribers, oldest first. */
  list(): Subscription[] {
    return [...this.subscriptions.values()].map(({ id, endpoint }) => ({ id, endpoint }));
  }

  /**
   * Sends one change notification to every subscriber, in parallel.
   * @param selfBase the simulator's base URL, for the subscription references in the notifications
   * @returns how each delivery went (a failed delivery is not retried)
   */
  async notify(source: SourceName, patient: PatientKey, selfBase: string): Promise<Delivery[]> {
    const timestamp = this.clock.now().toISOString();
    return Promise.all(
      [...this.subscriptions.values()].map(async (s): Promise<Delivery> => {
        s.events += 1;
        const id = randomUUID();
        const bundle = buildChangeNotification({ source, patient, subscription: `${selfBase}/_sim/subscriptions/${s.id}`, eventNumber: s.events, timestamp, id });
        try {
          const res = await fetch(s.endpoint, {
            method: 'POST',
            headers: { 'content-type': FHIR_JSON, ...(s.authorization ? { authorization: s.authorization } : {}) },
            body: JSON.stringify(bundle),
            signal: AbortSignal.timeout(this.timeoutMs),
          });
          await res.arrayBuffer();
          return { subscription: s.id, status: res.status };
        } catch {
          return { subscription: s.id, status: 'failed' };
        }
      }),
    );
  }
}
