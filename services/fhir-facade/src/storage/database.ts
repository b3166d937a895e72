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
