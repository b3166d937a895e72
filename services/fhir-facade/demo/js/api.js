/**
 * The page's calls to the service: a development token from `POST /auth/dev-token` (renewed before it
 * runs out) on every FHIR call, JSON in and out, and errors that keep the service's OperationOutcome.
 */

/** The demo clinician: the HPR number and name the relevance marks are recorded under (synthetic). */
export const DEMO_CLINICIAN = { hpr: '565104311', name: 'Hanne Legesen' };
/** Renew the token this long before it expires. */
const RENEW_BEFORE_MS = 60_000;

export const FHIR_JSON = 'application/fhir+json';

/** A call the service answered with an error status; `outcome` is its OperationOutcome when it sent one. */
export class ApiError extends Error {
  constructor(status, outcome, message) {
    super(message);
    this.status = status;
    this.outcome = outcome;
  }
}

let token;

/** A valid token, fetched when there is none or it is about to expire. */
export async function devToken() {
  if (token && token.expiresAt - Date.now() > RENEW_BEFORE_MS) return token;
  const res = await fetch('/auth/dev-token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ hpr: DEMO_CLINICIAN.hpr, name: DEMO_CLINICIAN.name, role: 'demo' }),
  });
  const body = await res.json();
  if (!res.ok) throw new ApiError(res.status, body, body?.issue?.[0]?.diagnostics ?? `HTTP ${res.status}`);
  token = { value: body.access_token, expiresAt: Date.now() + body.expires_in * 1000, hpr: DEMO_CLINICIAN.hpr };
  return token;
}

async function read(res) {
  const type = res.headers.get('content-type') ?? '';
  if (res.status === 204) return undefined;
  return type.includes('json') ? res.json() : res.text();
}

/**
 * Calls the service.
 * @param {string} path e.g. `/fhir/Patient/$summary?identifier=…`
 * @param {{ method?: string, json?: unknown, jsonText?: string, xml?: string, accept?: string, auth?: boolean }} options
 *   `jsonText` FHIR JSON sent as written; `auth: false` for the page's own helpers under /demo/api
 * @returns {Promise<{ status: number, body: any }>} for 2xx; throws {@link ApiError} otherwise
 */
export async function call(path, options = {}) {
  const headers = { accept: options.accept ?? FHIR_JSON };
  if (options.auth !== false) headers.authorization = `Bearer ${(await devToken()).value}`;
  let body;
  if (options.json !== undefined) {
    headers['content-type'] = options.auth === false ? 'application/json' : FHIR_JSON;
    body = JSON.stringify(options.json);
  } else if (options.jsonText !== undefined) {
    headers['content-type'] = FHIR_JSON;
    body = options.jsonText;
  } else if (options.xml !== undefined) {
    headers['content-type'] = 'application/xml';
    body = options.xml;
  }
  const res = await fetch(path, { method: options.method ?? (body === undefined ? 'GET' : 'POST'), headers, body });
  const answer = await read(res);
  if (!res.ok) {
    const outcome = answer?.resourceType === 'OperationOutcome' ? answer : undefined;
    throw new ApiError(res.status, outcome, outcome?.issue?.[0]?.diagnostics ?? `HTTP ${res.status}`);
  }
  return { status: res.status, body: answer };
}

/** A parameter of a FHIR Parameters resource, by name. */
export function parameter(parameters, name) {
  return parameters?.parameter?.find((p) => p.name === name)?.resource;
}

/** Base64 of the UTF-8 bytes of a text (a Binary's `data`). */
export function base64OfText(text) {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** The text of base64 UTF-8 bytes (a Binary's `data`). */
export function textOfBase64(data) {
  return new TextDecoder().decode(Uint8Array.from(atob(data), (c) => c.charCodeAt(0)));
}
