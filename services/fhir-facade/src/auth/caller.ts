/**
 * Who is calling: taken from the verified access token's claims, as HelseID issues them.
 */

/** Scopes per capability. A token carries the ones its client was granted. */
export const SCOPE = {
  eprescriptionConvert: 'ehds/eprescription.convert',
  eprescriptionRead: 'ehds/eprescription.read',
  edispensationWrite: 'ehds/edispensation.write',
  edispensationRead: 'ehds/edispensation.read',
  summaryRead: 'ehds/summary.read',
  summaryMark: 'ehds/summary.mark',
  /** A national source (or the simulator) posting change notifications. */
  sourceNotify: 'ehds/source.notify',
  validate: 'ehds/validate',
  auditRead: 'ehds/audit.read',
  metricsRead: 'ehds/metrics.read',
  conformanceRead: 'ehds/conformance.read',
} as const;

/** A scope name. */
export type Scope = (typeof SCOPE)[keyof typeof SCOPE];

/** HelseID claim names for the caller's identity. */
export const CLAIM = {
  hpr: 'helseid://claims/hpr/hpr_number',
  organisation: 'helseid://claims/client/claims/orgnr_parent',
  role: 'ehds-no/role',
  name: 'name',
} as const;

/** The authenticated caller. */
export interface Caller {
  readonly subject: string;
  readonly scopes: ReadonlySet<string>;
  readonly hpr?: string;
  readonly organisation?: string;
  readonly role?: string;
  readonly name?: string;
}

/** Builds the caller from verified JWT claims; `scope` may be a space-separated string or an array. */
export function callerFromClaims(claims: Record<string, unknown>): Caller {
  const raw = claims.scope;
  const scopes = new Set(Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? raw.split(' ').filter(Boolean) : []);
  const text = (name: string) => (typeof claims[name] === 'string' ? (claims[name] as string) : undefined);
  const hpr = text(CLAIM.hpr);
  const organisation = text(CLAIM.organisation);
  const role = text(CLAIM.role);
  const name = text(CLAIM.name);
  return {
    subject: text('sub') ?? 'unknown',
    scopes,
    ...(hpr ? { hpr } : {}),
    ...(organisation ? { organisation } : {}),
    ...(role ? { role } : {}),
    ...(name ? { name } : {}),
  };
}
