/**
 * The test patients the demonstration page offers (development mode only, when the in-process simulator
 * serves `test-data/patients/`), and the rebuild of one patient's summary on demand.
 */
import type { PatientKey, PatientSourceData } from '@ehds-no/core';

/** A test patient as the page lists it. */
export interface DemoPatient {
  /** The folder name under `test-data/patients/`, also the simulator's name for the patient. */
  readonly slug: string;
  /** `<system>|<value>`, as `$summary?identifier=` takes it. */
  readonly identifier: string;
  readonly name: string;
  readonly birthDate?: string;
}

/** Named scenarios first (they show one thing each), then the generated patients. */
const GENERATED = /^generated-/;

function displayName(patient: PatientSourceData): string {
  const name = patient.data.kjernejournal.patient.name?.[0];
  const text = name?.text ?? [...(name?.given ?? []), name?.family ?? ''].join(' ').trim();
  return text || patient.slug;
}

/** The patients in the order the page lists them. */
export function demoPatients(patients: Iterable<PatientSourceData>): DemoPatient[] {
  return [...patients]
    .map((p) => {
      const birthDate = p.data.kjernejournal.patient.birthDate;
      return { slug: p.slug, identifier: `${p.key.system}|${p.key.value}`, name: displayName(p), ...(birthDate ? { birthDate } : {}) };
    })
    .sort((a, b) => Number(GENERATED.test(a.slug)) - Number(GENERATED.test(b.slug)) || a.slug.localeCompare(b.slug));
}

/** The key of the patient with this slug, or undefined. */
export function patientKeyOf(patients: Iterable<PatientSourceData>, slug: string): PatientKey | undefined {
  for (const p of patients) if (p.slug === slug) return p.key;
  return undefined;
}
