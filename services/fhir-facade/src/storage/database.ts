/**
 * The database port: what the stores need from PostgreSQL. PGlite (embedded, the default) fits it as is;
 * a `pg` pool fits it through a small adapter. The same SQL and migrations run on both.
 */

/** Something that runs a parameterised query ($1, $2, …). */
export interface Queryable {
  query<T>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
}

/** A database with transactions. */
export interface Database extends Queryable {
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * The database cannot be reached now (server down or restarting, connection lost or refused, connect
 * timed out): a transient state, answered 503 with `Retry-After` by the error handler, never a crash.
 * It carries no message of the driver's (those can quote data), only {@link DatabaseUnavailable.reason}.
 * @example throw new DatabaseUnavailable('ECONNREFUSED');
 */
export class DatabaseUnavailable extends Error {
  /** Why, as a code safe to log: a Node error code, a SQLSTATE, or a short phrase of the driver's. */
  readonly reason: string;
  constructor(reason: string) {
    super(`the database is unavailable (${reason})`);
    this.name = 'DatabaseUnavailable';
    this.reason = reason;
  }
}

/**
 * SQLSTATEs that say the server is going away or not yet there (PostgreSQL appendix A), beside class `08`
 * (connection exception), which all do.
 */
export const UNAVAILABLE_SQLSTATE = {
  /** `57P01` admin_shutdown: the server is stopping (a restart, `pg_ctl stop`). */
  adminShutdown: '57P01',
  /** `57P02` crash_shutdown: another backend crashed, this one is ended. */
  crashShutdown: '57P02',
  /** `57P03` cannot_connect_now: starting up, shutting down or in recovery. */
  cannotConnectNow: '57P03',
  /** `53300` too_many_connections: no connection slot now. */
  tooManyConnections: '53300',
} as const;

/** The SQLSTATE class of connection exceptions (`08000`, `08001`, `08003`, `08006`, …). */
const CONNECTION_EXCEPTION_CLASS = '08';

/** Node's socket error codes that mean the server cannot be reached or went away. */
const UNREACHABLE_SOCKET_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * What `pg` says, without a code, when a connection is lost, cannot be made in time, or is no longer
 * usable (its messages in pg 8 and pg-pool 3), each with the reason logged for it.
 */
const UNREACHABLE_DRIVER_MESSAGES: readonly (readonly [RegExp, string])[] = [
  [/^Connection terminated due to connection timeout/, 'connect timeout'],
  [/^timeout exceeded when trying to connect/, 'connect timeout'],
  [/^Connection terminated/, 'connection terminated'],
  [/^Client has encountered a connection error and is not queryable/, 'connection lost'],
  [/^Query read timeout/, 'query timeout'],
];

/**
 * Why an error of the PostgreSQL driver means the database is unreachable, or undefined when it is
 * another error (a constraint violation, bad SQL, …), which must stay as it is.
 * @example unavailableReason(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })) // 'ECONNREFUSED'
 */
export function unavailableReason(error: unknown): string | undefined {
  if (error instanceof DatabaseUnavailable) return error.reason;
  // Read by shape, not `instanceof Error`: Node's socket errors come from another realm in a vm (jest).
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, message, errors } = error as { code?: unknown; message?: unknown; errors?: unknown };
  if (typeof code === 'string') {
    if (UNREACHABLE_SOCKET_CODES.has(code)) return code;
    // SQLSTATEs are five characters; Node's codes (E…) never are of class 08 or 57P.
    if (code.length === 5 && (code.startsWith(CONNECTION_EXCEPTION_CLASS) || (Object.values(UNAVAILABLE_SQLSTATE) as string[]).includes(code))) return code;
  }
  if (typeof message === 'string') for (const [pattern, reason] of UNREACHABLE_DRIVER_MESSAGES) if (pattern.test(message)) return reason;
  // net.connect to several addresses (localhost as ::1 and 127.0.0.1) fails with all their errors (AggregateError).
  if (Array.isArray(errors)) return errors.map(unavailableReason).find((r) => r !== undefined);
  return undefined;
}

/**
 * Runs a database call, turning an error that `reasonOf` says means "unreachable" into
 * {@link DatabaseUnavailable}; every other error is passed on unchanged (callers match on SQLSTATEs).
 * @example await unavailableAsTyped(() => pool.query('select 1'));
 */
export async function unavailableAsTyped<T>(call: () => Promise<T>, reasonOf: (error: unknown) => string | undefined = unavailableReason): Promise<T> {
  try {
    return await call();
  } catch (e) {
    const reason = reasonOf(e);
    throw reason === undefined || e instanceof DatabaseUnavailable ? e : new DatabaseUnavailable(reason);
  }
}

/** One versioned schema change. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** The schema, in order. Applied at start-up; never edit an applied one, add a new version. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'eu released prescriptions and Reseptformidleren dispensings',
    sql: `
      create table eu_released_prescription (
        resept_id text primary key,
        release jsonb not null,
        eu_bundle jsonb not null,
        released_at timestamptz not null
      );
      create table rf_utlevering (
        msg_id text primary key,
        resept_id text not null references eu_released_prescription (resept_id),
        dispense_key text not null unique,
        quantity numeric not null,
        annulment boolean not null,
        annuls text,
        m10_xml text not null,
        report jsonb not null,
        stored_at timestamptz not null
      );
      create index rf_utlevering_resept on rf_utlevering (resept_id);
    `,
  },
  {
    version: 2,
    name: 'EU prescriptions dispensed by Norwegian pharmacies',
    sql: `
      create table eu_prescription_dispensing (
        dispense_key text primary key,
        eu_prescription_id text not null,
        packages numeric not null,
        annulment boolean not null,
        annuls text,
        dispensed_on date not null,
        eu_bundle jsonb not null,
        report jsonb not null,
        stored_at timestamptz not null
      );
      create index eu_prescription_dispensing_id on eu_prescription_dispensing (eu_prescription_id);
    `,
  },
  {
    version: 3,
    name: 'audit events',
    sql: `
      create table audit_event (
        id text primary key,
        recorded timestamptz not null,
        patient_system text,
        patient_value text,
        resource jsonb not null
      );
      create index audit_event_patient on audit_event (patient_system, patient_value, recorded);
    `,
  },
  {
    version: 4,
    name: 'last data fetched from each national source, per patient',
    sql: `
      create table source_snapshot (
        source text not null,
        patient_system text not null,
        patient_value text not null,
        fetched_at timestamptz not null,
        data jsonb not null,
        primary key (source, patient_system, patient_value)
      );
    `,
  },
  {
    version: 5,
    name: 'patient summary versions and relevance marks',
    sql: `
      create table summary_patient (
        patient_id text primary key,
        patient_system text not null,
        patient_value text not null,
        checked_at timestamptz,
        unique (patient_system, patient_value)
      );
      create table summary_version (
        patient_id text not null references summary_patient (patient_id),
        version_id int not null,
        content_hash text not null,
        -- json, not jsonb: the document is served as stored, in its own key order.
        bundle json not null,
        created_at timestamptz not null,
        primary key (patient_id, version_id)
      );
      create table summary_mark (
        patient_id text not null references summary_patient (patient_id),
        entry_key text not null,
        marked_by jsonb not null,
        marked_at timestamptz not null,
        primary key (patient_id, entry_key)
      );
    `,
  },
  {
    version: 6,
    name: 'audit events paged newest first by (recorded, id), per patient and all',
    sql: `
      create index audit_event_patient_page on audit_event (patient_system, patient_value, recorded desc, id desc);
      create index audit_event_page on audit_event (recorded desc, id desc);
      drop index audit_event_patient;
    `,
  },
];

/**
 * Applies the migrations not yet applied, each in its own transaction.
 * @returns the versions applied now
 */
export async function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  await db.query(`create table if not exists schema_migration (version int primary key, name text not null, applied_at timestamptz not null default now())`);
  const done = new Set((await db.query<{ version: number }>('select version from schema_migration')).rows.map((r) => r.version));
  const applied: number[] = [];
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (done.has(m.version)) continue;
    await db.transaction(async (tx) => {
      for (const statement of m.sql.split(';').map((s) => s.trim()).filter(Boolean)) await tx.query(statement);
      await tx.query('insert into schema_migration (version, name) values ($1, $2)', [m.version, m.name]);
    });
    applied.push(m.version);
  }
  return applied;
}
