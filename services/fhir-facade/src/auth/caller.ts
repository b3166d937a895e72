/**
 * Who is calling: taken from the verified access token's claims, as HelseID issues them.
 */
import { IDENTIFIER_SYSTEM, parsePersonNumber } from '@ehds-no/core';

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
  /** The logged-in person's fødselsnummer or D-nummer (HelseID's person identifier). */
  pid: 'helseid://claims/identity/pid',
  organisation: 'helseid://claims/client/claims/orgnr_parent',
  role: 'ehds-no/role',
  name: 'name',
} as const;

/** Values of the {@link CLAIM.role} claim that grant something. */
export const ROLE = {
  /** Reads every patient's access log (`GET /fhir/AuditEvent` without the person restriction). */
  auditor: 'ehds-no:auditor',
} as const;

/** A person, as an audit event or a summary names them: `system` is the fødselsnummer or D-nummer namespace. */
export interface PersonIdentifier {
  readonly system: string;
  readonly value: string;
}

/** The authenticated caller. */
export interface Caller {
  readonly subject: string;
  readonly scopes: ReadonlySet<string>;
  readonly hpr?: string;
  readonly organisation?: string;
  readonly role?: string;
  readonly name?: string;
  /**
   * The person the token is bound to (the {@link CLAIM.pid} claim, when it is a fødselsnummer or D-nummer):
   * a citizen reading their own access log.
   */
  readonly person?: PersonIdentifier;
}

/** The person a `pid` claim names, or nothing when it is not a person number. */
function personOf(pid: string | undefined): PersonIdentifier | undefined {
  if (pid === undefined) return undefined;
  // Synthetic numbers allowed: the claim comes from a verified token (HelseID's test environment issues them);
  // this only tells a fødselsnummer from a D-nummer.
  const parsed = parsePersonNumber(pid, { allowSynthetic: true });
  if (!parsed.ok || parsed.number.kind === 'hnr') return undefined;
  return { system: parsed.number.kind === 'dnr' ? IDENTIFIER_SYSTEM.dnr : IDENTIFIER_SYSTEM.fnr, value: pid };
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
  const person = personOf(text(CLAIM.pid));
  return {
    subject: text('sub') ?? 'unknown',
    scopes,
    ...(hpr ? { hpr } : {}),
    ...(organisation ? { organisation } : {}),
    ...(role ? { role } : {}),
    ...(name ? { name } : {}),
    ...(person ? { person } : {}),
  };
}
