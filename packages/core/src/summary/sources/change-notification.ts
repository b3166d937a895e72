/**
 * "A national source's data for a patient changed": the change notification the sources (and the
 * simulator) POST to subscribers, as a FHIR R4 subscription-notification Bundle in the style of the
 * Subscriptions R5 Backport IG: `Bundle.type = history`, the first entry a `Parameters` SubscriptionStatus
 * with one `notification-event` whose `focus` is the patient by identifier. The source is named by the
 * extension {@link SOURCE_CHANGE_NOTIFICATION}.sourceExtension on that `notification-event` parameter
 * (docs/sources.md). The notification carries no clinical data: the subscriber fetches the source again.
 */
import type { Bundle, Extension, Parameters, ParametersParameter, Reference } from '@medplum/fhirtypes';
import { IDENTIFIER_SYSTEM } from '../../terminology/oids.js';
import { uuidUrn } from '../../conversion/stable-id.js';
import { SOURCE_CHANGE_NOTIFICATION } from '../../terminology/fhir-systems.js';
import { SOURCE_NAMES, type PatientKey, type SourceName } from './source-data.js';
import { isJsonObject } from '../../json-object.js';

/** What one change notification says. */
export interface ChangeNotificationInput {
  readonly source: SourceName;
  readonly patient: PatientKey;
  /** The subscription's reference, e.g. `http://127.0.0.1:4000/_sim/subscriptions/3`. */
  readonly subscription: string;
  /** Number of this event within the subscription (1, 2, …); also `events-since-subscription-start`. */
  readonly eventNumber: number;
  /** When the change happened (ISO 8601 instant). */
  readonly timestamp: string;
  /** `Bundle.id` and the `fullUrl` of the status entry (a UUID). */
  readonly id: string;
}

/** A problem with a received notification: where (FHIRPath) and what, never the data itself. */
export interface NotificationIssue {
  readonly expression: string;
  readonly message: string;
}

/** Options of {@link readChangeNotification}. */
export interface ChangeNotificationOptions {
  /**
   * The receiver's rule for a person's identifier (the one its other routes apply): why the focus's system
   * and value name no person, or `undefined` when they do. The message is returned as the issue's text, so it
   * must name rules, never the value. Without it, any non-empty value of a person-number system is taken.
   */
  readonly identifierProblem?: (key: PatientKey) => string | undefined;
}

/** The result of {@link readChangeNotification}. */
export type ChangeNotificationResult =
  | { readonly ok: true; readonly source: SourceName; readonly patient: PatientKey }
  | { readonly ok: false; readonly issues: readonly NotificationIssue[] };

const PATIENT_SYSTEMS: readonly string[] = [IDENTIFIER_SYSTEM.fnr, IDENTIFIER_SYSTEM.dnr];

/**
 * Builds the notification Bundle for one change.
 * @example
 * const bundle = buildChangeNotification({ source: 'pll', patient, subscription: `${base}/_sim/subscriptions/1`,
 *   eventNumber: 1, timestamp: new Date().toISOString(), id: randomUUID() });
 */
export function buildChangeNotification(input: ChangeNotificationInput): Bundle {
  const focus: Reference = { type: 'Patient', identifier: { system: input.patient.system, value: input.patient.value } };
  const sourceExtension: Extension = { url: SOURCE_CHANGE_NOTIFICATION.sourceExtension, valueCode: input.source };
  // The backport IG carries event numbers as strings (R4 has no int64).
  const status: Parameters = {
    resourceType: 'Parameters',
    id: input.id,
    meta: { profile: [SOURCE_CHANGE_NOTIFICATION.statusProfile] },
    parameter: [
      { name: 'subscription', valueReference: { reference: input.subscription } },
      { name: 'topic', valueCanonical: SOURCE_CHANGE_NOTIFICATION.topic },
      { name: 'status', valueCode: 'active' },
      { name: 'type', valueCode: 'event-notification' },
      { name: 'events-since-subscription-start', valueString: String(input.eventNumber) },
      {
        name: 'notification-event',
        extension: [sourceExtension],
        part: [
          { name: 'event-number', valueString: String(input.eventNumber) },
          { name: 'timestamp', valueInstant: input.timestamp },
          { name: 'focus', valueReference: focus },
        ],
      },
    ],
  };
  return {
    resourceType: 'Bundle',
    id: input.id,
    meta: { profile: [SOURCE_CHANGE_NOTIFICATION.bundleProfile] },
    type: 'history',
    timestamp: input.timestamp,
    // A history Bundle needs request and response on each entry (bdl-3, bdl-4); the IG fills in $status.
    entry: [{ fullUrl: uuidUrn(input.id), resource: status, request: { method: 'GET', url: `${input.subscription}/$status` }, response: { status: '200' } }],
  };
}


const STATUS = "Bundle.entry[0].resource";
const EVENT = `${STATUS}.parameter.where(name = 'notification-event')`;
const FOCUS = `${EVENT}.part.where(name = 'focus').value`;

/** The parameters named `name` (malformed items are skipped; the checks below report what is missing). */
function named(parameters: unknown, name: string): ParametersParameter[] {
  return Array.isArray(parameters) ? parameters.filter((p): p is ParametersParameter => isJsonObject(p) && p.name === name) : [];
}

/** The one `notification-event` parameter's source and focus, or the issues. */
function readEvent(event: ParametersParameter, issues: NotificationIssue[], options: ChangeNotificationOptions): { source?: SourceName; patient?: PatientKey } {
  // The body is only parsed JSON: `extension` may be anything, and anything but an array names no source.
  const extensions: unknown[] = Array.isArray(event.extension) ? event.extension : [];
  const sources = extensions.filter((e): e is Extension => isJsonObject(e) && e.url === SOURCE_CHANGE_NOTIFICATION.sourceExtension);
  const code = sources[0]?.valueCode;
  let source: SourceName | undefined;
  if (sources.length !== 1) issues.push({ expression: `${EVENT}.extension('${SOURCE_CHANGE_NOTIFICATION.sourceExtension}')`, message: 'exactly one extension naming the source is required' });
  else if (typeof code !== 'string' || !(SOURCE_NAMES as readonly string[]).includes(code)) {
    issues.push({ expression: `${EVENT}.extension('${SOURCE_CHANGE_NOTIFICATION.sourceExtension}').value`, message: `the source must be one of ${SOURCE_NAMES.join(', ')}` });
  } else source = code as SourceName;

  const foci = named(event.part, 'focus');
  const identifier = foci[0]?.valueReference?.identifier;
  let patient: PatientKey | undefined;
  if (foci.length !== 1) issues.push({ expression: `${EVENT}.part.where(name = 'focus')`, message: 'exactly one focus is required' });
  else if (!isJsonObject(identifier)) issues.push({ expression: `${FOCUS}.identifier`, message: 'the focus must be a Reference with an identifier' });
  else if (typeof identifier.system !== 'string' || !PATIENT_SYSTEMS.includes(identifier.system)) {
    issues.push({ expression: `${FOCUS}.identifier.system`, message: 'the identifier must be a fødselsnummer or D-nummer' });
  } else if (typeof identifier.value !== 'string' || identifier.value === '') {
    issues.push({ expression: `${FOCUS}.identifier.value`, message: 'the identifier has no value' });
  } else {
    const key = { system: identifier.system, value: identifier.value };
    const problem = options.identifierProblem?.(key);
    if (problem) issues.push({ expression: `${FOCUS}.identifier.value`, message: problem });
    else patient = key;
  }
  return { ...(source ? { source } : {}), ...(patient ? { patient } : {}) };
}

/**
 * Reads a change notification received from a source. Never throws; issue messages name places and
 * rules, never the identifier or any data, so they can be logged and returned.
 * @param bundle the parsed JSON body of the notification POST
 * @param options how the receiver checks the focus's identifier
 * @example
 * const r = readChangeNotification(req.body, { identifierProblem: (key) => (parsePersonNumber(key.value).ok ? undefined : 'not a valid person number') });
 * if (r.ok) await rebuildSummary(r.patient, r.source);
 * else res.status(400).json(outcomeOf(r.issues));
 */
export function readChangeNotification(bundle: unknown): ChangeNotificationResult;
// A separate signature without options, so that `notifications.map(readChangeNotification)` still type-checks
// (the array index would otherwise be offered as the options).
export function readChangeNotification(bundle: unknown, options: ChangeNotificationOptions): ChangeNotificationResult;
export function readChangeNotification(bundle: unknown, options: ChangeNotificationOptions = {}): ChangeNotificationResult {
  const fail = (expression: string, message: string): ChangeNotificationResult => ({ ok: false, issues: [{ expression, message }] });
  if (!isJsonObject(bundle) || bundle.resourceType !== 'Bundle') return fail('Bundle', 'a notification is a Bundle');
  if (bundle.type !== 'history') return fail('Bundle.type', "a notification Bundle has type 'history'");
  const first = Array.isArray(bundle.entry) && isJsonObject(bundle.entry[0]) ? bundle.entry[0].resource : undefined;
  if (!isJsonObject(first) || first.resourceType !== 'Parameters') return fail(STATUS, 'the first entry must be the SubscriptionStatus Parameters');

  const issues: NotificationIssue[] = [];
  const type = named(first.parameter, 'type')[0]?.valueCode;
  if (type !== 'event-notification') issues.push({ expression: `${STATUS}.parameter.where(name = 'type').value`, message: "only 'event-notification' notifications carry a change" });
  const events = named(first.parameter, 'notification-event');
  if (events.length !== 1) {
    issues.push({ expression: EVENT, message: 'exactly one notification-event is required' });
    return { ok: false, issues };
  }
  const { source, patient } = readEvent(events[0]!, issues, options);
  if (issues.length > 0 || !source || !patient) return { ok: false, issues };
  return { ok: true, source, patient };
}
