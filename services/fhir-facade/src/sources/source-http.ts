/**
 * The one HTTP layer of the source adapters: every request to a national source goes through
 * {@link SourceHttp}, which sends the patient header, refuses redirects, reads the body as a stream
 * against a byte budget, decodes it as strict UTF-8 and parses it as JSON, and turns any problem into a
 * {@link SourceFailure} with a fixed, safe reason. Nothing that came from the source or the request
 * (URLs, bodies, error messages) ever reaches a reason: they can hold the person number or clinical
 * content.
 *
 * This replaces fhir-kit-client (2.0.3), which the adapters used before: its `request` calls `fetch`
 * with the default `redirect: 'follow'` (a source answering 302/307 to another origin received the
 * `nhn-patient-nin` header there) and reads every body whole with `response.text()` before looking at
 * it (one 60 MB Kjernejournal answer added 159 MB to one request). Neither can be changed from outside,
 * and the adapters need only three requests (a search, its next pages, one POST operation).
 */
import { FAILURE_REASON, SourceFailure, httpStatusReason, type PatientKey, isJsonObject } from '@ehds-no/core';
import { NIN_HEADER } from '@ehds-no/national-sources-sim';
import type { Bundle, Resource } from '@medplum/fhirtypes';

/** The fixed failure reasons of the HTTP layer (those of the resilience layer are in `FAILURE_REASON`). */
export const HTTP_FAILURE_REASON = {
  /** The source answered 3xx: redirects are never followed, so the patient header never goes elsewhere. */
  redirect: 'redirect refused',
  /** The answers of one fetch exceeded the source's byte limit (announced or counted). */
  tooLarge: 'response too large',
} as const;

/** The headers that name the patient: the number goes in `nhn-patient-nin`, never in the URL. */
function patientHeaders(patient: PatientKey): Record<string, string> {
  return { [NIN_HEADER]: patient.value };
}

/** A failure because the body is not what the source promised; `what` is a fixed phrase of the adapter. */
export function malformed(what?: string): SourceFailure {
  return new SourceFailure(what ? `${FAILURE_REASON.malformedBody} (${what})` : FAILURE_REASON.malformedBody);
}

/**
 * Turns anything a request threw into a {@link SourceFailure}: the abort, or an unreachable source.
 * A {@link SourceFailure} passes unchanged.
 */
function sourceFailureOf(error: unknown, signal: AbortSignal): SourceFailure {
  if (error instanceof SourceFailure) return error;
  if (signal.aborted) return signal.reason instanceof SourceFailure ? signal.reason : new SourceFailure(FAILURE_REASON.aborted);
  // By name, not instanceof: fetch's errors may come from another realm (undici, test sandboxes).
  // fetch rejects with a TypeError when the connection fails (refused, reset, DNS) or is cut mid-body.
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'TypeError') return new SourceFailure(FAILURE_REASON.unreachable);
  return new SourceFailure(FAILURE_REASON.failed);
}

/**
 * How many body bytes one fetch of a source may still read. One budget is shared by all the requests
 * of a fetch (Kjernejournal's five searches and their pages), so the limit bounds the memory one fetch
 * can take, not only one answer.
 */
export interface BodyBudget {
  remaining: number;
}

/** One request to a source. */
export interface SourceRequest {
  /** Relative to the source's base (`Patient`, `Patient/$getMedication`), or an absolute URL within it. */
  readonly path: string;
  readonly patient: PatientKey;
  readonly signal: AbortSignal;
  /** The budget of the fetch this request belongs to (see {@link SourceHttp.budget}). */
  readonly budget: BodyBudget;
  /** `POST` with this JSON body; `GET` without. */
  readonly body?: unknown;
  /**
   * Non-2xx statuses whose body the adapter reads to decide what they mean (PLL's 404). Any other
   * non-2xx status fails with `HTTP <status>` without the body being read.
   */
  readonly readStatuses?: readonly number[];
}

/**
 * A source's answer. `body` is the parsed JSON; for a status in `readStatuses` it is `undefined` when
 * the body was empty or not JSON (a 2xx body that is not JSON is a failure instead).
 */
export interface SourceAnswer {
  readonly status: number;
  readonly body: unknown;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The body as bytes, failing as soon as it exceeds the budget (announced by Content-Length or counted). */
async function readBody(response: Response, budget: BodyBudget): Promise<Uint8Array> {
  const announced = Number(response.headers.get('content-length') ?? 0);
  if (announced > budget.remaining) {
    await response.body?.cancel();
    throw new SourceFailure(HTTP_FAILURE_REASON.tooLarge);
  }
  if (!response.body) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    budget.remaining -= value.byteLength;
    if (budget.remaining < 0) {
      // Cancelling closes the connection: the rest is never transferred.
      await reader.cancel();
      throw new SourceFailure(HTTP_FAILURE_REASON.tooLarge);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}

/** The body as JSON, or `undefined` when it is empty, not UTF-8 or not JSON. */
function parseJson(bytes: Uint8Array): unknown {
  if (bytes.byteLength === 0) return undefined;
  try {
    return JSON.parse(utf8.decode(bytes)) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The HTTP client of one source.
 * @example
 * const http = new SourceHttp('http://127.0.0.1:4000/pll', FHIR_JSON, 4 * 1024 * 1024);
 * const answer = await http.request({ path: 'Patient/$getMedication', body: parameters, patient, signal, budget: http.budget(), readStatuses: [404] });
 */
export class SourceHttp {
  /** The base without a trailing slash. */
  readonly baseUrl: string;
  private readonly basePath: string;
  private readonly origin: string;

  /**
   * @param baseUrl the source's base, e.g. `http://127.0.0.1:4000/kjernejournal`
   * @param accept the media type asked for (and sent, for a POST body)
   * @param maxBodyBytes the byte limit of one fetch (all its answers together)
   */
  constructor(baseUrl: string, private readonly accept: string, private readonly maxBodyBytes: number) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    const base = new URL(this.baseUrl);
    this.origin = base.origin;
    this.basePath = base.pathname.replace(/\/+$/, '');
  }

  /** A fresh budget for one fetch. */
  budget(): BodyBudget {
    return { remaining: this.maxBodyBytes };
  }

  /**
   * True when `url` is on the source's origin and under its base path: the only places the patient
   * header may go. Compared after URL parsing, so `..` segments or another port cannot slip past.
   */
  within(url: string): boolean {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return false;
    }
    return parsed.origin === this.origin && parsed.pathname.startsWith(`${this.basePath}/`) && parsed.username === '' && parsed.password === '';
  }

  /**
   * Sends one request and reads its answer.
   * @throws {SourceFailure} `redirect refused` for any 3xx, `HTTP <status>` for another non-2xx status
   * not in `readStatuses`, `response too large` over the budget, `malformed response body` for a 2xx
   * body that is not UTF-8 JSON, `request aborted` or `source unreachable`
   */
  async request(req: SourceRequest): Promise<SourceAnswer> {
    const url = /^https?:\/\//i.test(req.path) ? req.path : `${this.baseUrl}/${req.path.replace(/^\/+/, '')}`;
    // Absolute paths come from the source (next links); they must stay within it like everything else.
    if (!this.within(url)) throw malformed('a link outside the source');
    const post = req.body !== undefined;
    try {
      const response = await fetch(url, {
        method: post ? 'POST' : 'GET',
        headers: { ...patientHeaders(req.patient), accept: this.accept, ...(post ? { 'content-type': this.accept } : {}) },
        ...(post ? { body: JSON.stringify(req.body) } : {}),
        // Never follow: the next hop would receive the patient header, wherever it is.
        redirect: 'manual',
        signal: req.signal,
      });
      const { status } = response;
      const ok = status >= 200 && status < 300;
      if (!ok && !req.readStatuses?.includes(status)) {
        await response.body?.cancel();
        throw new SourceFailure(status >= 300 && status < 400 ? HTTP_FAILURE_REASON.redirect : httpStatusReason(status));
      }
      const body = parseJson(await readBody(response, req.budget));
      if (ok && body === undefined) throw malformed();
      return { status, body };
    } catch (e) {
      throw sourceFailureOf(e, req.signal);
    }
  }
}


/** Longest chain of search pages followed: a source that pages forever is failed rather than followed. */
const MAX_SEARCH_PAGES = 20;

/**
 * The `next` link of a searchset page, if any. A link away from the source's own base is refused: the
 * patient header must never be sent anywhere else.
 */
function nextLink(page: Record<string, unknown>, http: SourceHttp): string | undefined {
  const links = Array.isArray(page.link) ? (page.link as unknown[]) : [];
  const next = links.find((l): l is { relation: string; url: unknown } => isJsonObject(l) && l.relation === 'next');
  if (!next) return undefined;
  if (typeof next.url !== 'string' || !http.within(next.url)) throw malformed('a next link outside the source');
  return next.url;
}

/**
 * The resources of a type-level search, following `next` links.
 * @param types the resource types an entry may have (anything else makes the body malformed)
 * @param budget the budget of the fetch the search belongs to
 * @throws {SourceFailure} on any HTTP problem or an answer that is not a searchset of `types`
 */
export async function searchAll<R extends Resource>(
  http: SourceHttp, resourceType: string, types: readonly R['resourceType'][], patient: PatientKey, signal: AbortSignal, budget: BodyBudget,
): Promise<R[]> {
  const resources: R[] = [];
  let path = resourceType;
  for (let pages = 1; ; pages++) {
    const { body } = await http.request({ path, patient, signal, budget });
    resources.push(...searchsetResources(body, types));
    const next = nextLink(body as Record<string, unknown>, http);
    if (!next) return resources;
    if (pages >= MAX_SEARCH_PAGES) throw malformed('too many search pages');
    path = next;
  }
}

/** True for a searchset entry that is an outcome (an OperationOutcome about the search, not a match). */
function isOutcomeEntry(entry: unknown): entry is Record<string, unknown> {
  return isJsonObject(entry) && (entry.search as { mode?: unknown } | undefined)?.mode === 'outcome';
}

/** True when an outcome entry reports an error: the search did not complete, so its matches are not all. */
function reportsError(entry: Record<string, unknown>): boolean {
  const issues = (entry.resource as { issue?: unknown } | undefined)?.issue;
  return !Array.isArray(issues) || issues.some((i) => !isJsonObject(i) || i.severity === 'error' || i.severity === 'fatal');
}

/**
 * The resources of one searchset page.
 * @throws {SourceFailure} when it is not a searchset Bundle, an entry is not one of `types`, or an outcome
 * entry reports an error (a failed search must not read as "nothing found")
 */
export function searchsetResources<R extends Resource>(body: unknown, types: readonly R['resourceType'][]): R[] {
  if (!isJsonObject(body) || body.resourceType !== 'Bundle' || body.type !== 'searchset') throw malformed('not a searchset Bundle');
  const entries = (body as unknown as Bundle).entry ?? [];
  if (!Array.isArray(entries)) throw malformed('not a searchset Bundle');
  if (entries.some((e) => isOutcomeEntry(e) && reportsError(e))) throw malformed('a searchset with an error outcome');
  return entries
    // Only matches: a source may add OperationOutcomes as `outcome` entries (warnings), which are not data.
    .filter((e) => !isOutcomeEntry(e))
    .map((e) => {
      const resource = isJsonObject(e) ? e.resource : undefined;
      if (!isJsonObject(resource) || !(types as readonly unknown[]).includes(resource.resourceType)) throw malformed(`an entry that is not ${types.join(' or ')}`);
      return resource as unknown as R;
    });
}
