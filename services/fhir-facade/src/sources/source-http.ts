/**
 * What the HTTP source adapters share: the patient header, a FHIR client per source, and the mapping of
 * any HTTP or parsing problem to a {@link SourceFailure} with a safe reason. Nothing that came from the
 * source or the request (URLs, bodies, error messages) ever reaches a reason: they can hold the person
 * number or clinical content.
 */
import { FAILURE_REASON, SourceFailure, httpStatusReason, type PatientKey } from '@ehds-no/core';
import { NIN_HEADER } from '@ehds-no/national-sources-sim';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { Client, type PaginationParams, type RequestOptions } from 'fhir-kit-client';

/** The headers that name the patient: the number goes in `nhn-patient-nin`, never in the URL. */
export function patientHeaders(patient: PatientKey): Record<string, string> {
  return { [NIN_HEADER]: patient.value };
}

/**
 * A FHIR client for one source. fhir-kit-client keeps connections alive (and Node's fetch pools them),
 * so one client per source for the life of the service.
 * @param baseUrl the source's FHIR base, e.g. `http://127.0.0.1:4000/kjernejournal`
 */
export function fhirClient(baseUrl: string): Client {
  return new Client({ baseUrl });
}

/** Per-request options: the patient header and the abort signal. */
export function requestOptions(patient: PatientKey, signal: AbortSignal): RequestOptions {
  return { headers: patientHeaders(patient), signal };
}

/** A failure because the body is not what the source promised; `what` is a fixed phrase of the adapter. */
export function malformed(what?: string): SourceFailure {
  return new SourceFailure(what ? `${FAILURE_REASON.malformedBody} (${what})` : FAILURE_REASON.malformedBody);
}

/** The HTTP status of a fhir-kit-client error (it throws `{ response: { status, data } }`). */
export function errorStatus(error: unknown): number | undefined {
  const status = (error as { response?: { status?: unknown } } | null)?.response?.status;
  return typeof status === 'number' ? status : undefined;
}

/** The body of a fhir-kit-client error response (parsed JSON, or the text when it was not JSON). */
export function errorBody(error: unknown): unknown {
  return (error as { response?: { data?: unknown } } | null)?.response?.data;
}

/**
 * Turns anything a request threw into a {@link SourceFailure}: the abort, an HTTP status, a body that was
 * not JSON (fhir-kit-client reports it with the 2xx status), or an unreachable source.
 */
export function sourceFailureOf(error: unknown, signal: AbortSignal): SourceFailure {
  if (error instanceof SourceFailure) return error;
  if (signal.aborted) return signal.reason instanceof SourceFailure ? signal.reason : new SourceFailure(FAILURE_REASON.aborted);
  const status = errorStatus(error);
  if (status !== undefined) return status >= 200 && status < 300 ? malformed() : new SourceFailure(httpStatusReason(status));
  // By name, not instanceof: fetch's errors may come from another realm (undici, test sandboxes).
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'SyntaxError') return malformed();
  // fetch rejects with a TypeError when the connection fails (refused, reset, DNS).
  if (name === 'TypeError') return new SourceFailure(FAILURE_REASON.unreachable);
  return new SourceFailure(FAILURE_REASON.failed);
}

/**
 * Runs one request and maps whatever it throws with {@link sourceFailureOf}.
 * @example const bundle = await guarded(signal, () => client.search({ resourceType: 'Flag', options }));
 */
export async function guarded<T>(signal: AbortSignal, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (e) {
    throw sourceFailureOf(e, signal);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Longest chain of search pages followed: a source that pages forever is failed rather than followed. */
const MAX_SEARCH_PAGES = 20;

/**
 * The `next` link of a searchset page, if any. A link away from the source's own base is refused: the
 * patient header must never be sent anywhere else.
 */
function nextLink(page: Record<string, unknown>, baseUrl: string): string | undefined {
  const links = Array.isArray(page.link) ? (page.link as unknown[]) : [];
  const next = links.find((l): l is { relation: string; url: unknown } => isObject(l) && l.relation === 'next');
  if (!next) return undefined;
  if (typeof next.url !== 'string' || !next.url.startsWith(`${baseUrl.replace(/\/$/, '')}/`)) throw malformed('a next link outside the source');
  return next.url;
}

/**
 * The resources of a type-level search, following `next` links.
 * @param types the resource types an entry may have (anything else makes the body malformed)
 * @throws {SourceFailure} on any HTTP problem or an answer that is not a searchset of `types`
 */
export async function searchAll<R extends Resource>(
  client: Client, resourceType: string, types: readonly R['resourceType'][], patient: PatientKey, signal: AbortSignal,
): Promise<R[]> {
  const options = requestOptions(patient, signal);
  const resources: R[] = [];
  let page: unknown = await guarded(signal, () => client.search({ resourceType, options }));
  for (let pages = 1; ; pages++) {
    resources.push(...searchsetResources(page, types));
    if (!nextLink(page as Record<string, unknown>, client.baseUrl)) return resources;
    if (pages >= MAX_SEARCH_PAGES) throw malformed('too many search pages');
    const bundle = page as PaginationParams['bundle'];
    page = await guarded(signal, async () => client.nextPage({ bundle, options }));
  }
}

/**
 * The resources of one searchset page.
 * @throws {SourceFailure} when it is not a searchset Bundle or an entry is not one of `types`
 */
export function searchsetResources<R extends Resource>(body: unknown, types: readonly R['resourceType'][]): R[] {
  if (!isObject(body) || body.resourceType !== 'Bundle' || body.type !== 'searchset') throw malformed('not a searchset Bundle');
  const entries = (body as unknown as Bundle).entry ?? [];
  if (!Array.isArray(entries)) throw malformed('not a searchset Bundle');
  return entries
    // Only matches: a source may add OperationOutcomes as `outcome` entries (warnings), which are not data.
    .filter((e) => !isObject(e) || (e.search as { mode?: unknown } | undefined)?.mode !== 'outcome')
    .map((e) => {
      const resource = isObject(e) ? e.resource : undefined;
      if (!isObject(resource) || !(types as readonly unknown[]).includes(resource.resourceType)) throw malformed(`an entry that is not ${types.join(' or ')}`);
      return resource as unknown as R;
    });
}
