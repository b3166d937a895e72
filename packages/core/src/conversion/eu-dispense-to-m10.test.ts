import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Bundle } from '@medplum/fhirtypes';
import { readM1OrThrow, readM10 } from '../eresept/messages.js';
import { fixture, REPO_ROOT, xsdAvailable, xsdValidator } from '../test-support/eresept-fixtures.js';
import { expectGolden } from '../test-support/golden.js';
import { convertEuDispenseToM10, type StoredDispensing } from './eu-dispense-to-m10.js';
import { convertM1ToEuPrescription, type ReleasedPrescription } from './m1-to-eu-prescription.js';
import { FHIR_STRUCTURAL_KEYS } from './report.js';

const NOW = new Date('2024-10-02T08:00:00Z');
const CASES = [
  ['ed-se-eliquis-same-package.json', 'm1-pakning-dosering.xml'],
  ['ed-de-metformin-substituted.json', 'm1-blaa-resept-icpc.xml'],
  ['ed-dk-magistrell.json', 'm1-magistrell.xml'],
] as const;

const euFixture = (name: string): Bundle => JSON.parse(readFileSync(join(REPO_ROOT, 'test-data/eu', name), 'utf8')) as Bundle;
function release(m1: string): ReleasedPrescription {
  const r = convertM1ToEuPrescription(readM1OrThrow(fixture(m1), { allowSyntheticIdentities: true }), { now: new Date('2024-03-05T08:00:00Z') });
  if (!r.release) throw new Error('fixture must be releasable');
  return r.release;
}

/** FHIRPath of every data-bearing leaf of a JSON resource tree (structural keys left out). */
function jsonLeaves(value: unknown, path = 'Bundle', out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v, i) => jsonLeaves(v, `${path}[${i}]`, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) if (!FHIR_STRUCTURAL_KEYS.has(k)) jsonLeaves(v, `${path}.${k}`, out);
  } else out.push(path);
  return out;
}

describe.each(CASES)('EU eDispensation → M10: %s', (ed, m1) => {
  const result = convertEuDispenseToM10(euFixture(ed), { release: release(m1), previous: [], now: NOW });

  it('gives an M10 that the reader accepts and that matches its golden file', () => {
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(readM10(result.xml, { allowSyntheticIdentities: true }).issues).toEqual([]);
    expectGolden(`eu-dispense-to-m10/${ed.replace(/\.json$/, '')}`, { m10: result.xml, report: result.report });
  });

  (xsdAvailable() ? it : it.skip)('passes the official M10 XSD', async () => {
    expect(result.ok && (await xsdValidator()).validate(result.xml)).toEqual([]);
  });

  it('accounts for every field of the dispensation', () => {
    if (!result.ok) throw new Error('must convert');
    const locations = [...(result.report.issue ?? []).flatMap((i) => i.expression ?? []), ...result.accounted()];
    const missing = jsonLeaves(euFixture(ed)).filter((leaf) => !locations.some((l) => leaf === l || leaf.startsWith(`${l}.`) || leaf.startsWith(`${l}[`)));
    expect(missing).toEqual([]);
  });
});

describe('EU eDispensation → M10 rules', () => {
  const eliquis = () => euFixture('ed-se-eliquis-same-package.json');
  const rel = () => release('m1-pakning-dosering.xml');

  it('traces ids and quantities end to end: ReseptId, date, packages, what is left', () => {
    const r = convertEuDispenseToM10(eliquis(), { release: rel(), previous: [], now: NOW });
    expect(r.ok && r.stored).toMatchObject({ quantity: 1, annulment: false });
    const m10 = r.ok ? readM10(r.xml, { allowSyntheticIdentities: true }) : undefined;
    expect(m10?.ok && m10.message.utleveringsrapport.utlevering).toMatchObject({ reseptId: '240a3213-df60-4662-9180-5b2088c69077', utleveringsdato: '2024-06-12', avsluttet: { v: '2' } });
    expect(m10?.ok && m10.message.msgHead.msgInfo.patient?.ident?.[0]?.id).toBe('12835412073');
  });

  it('counts earlier dispensings, and ignores annulled ones', () => {
    const previous: StoredDispensing[] = [
      { msgId: 'a', dispenseKey: 'k1#completed', quantity: 2, annulment: false },
      { msgId: 'b', dispenseKey: 'k2#completed', quantity: 1, annulment: false },
      { msgId: 'c', dispenseKey: 'k2#entered-in-error', quantity: 0, annulment: true, annuls: 'b' },
    ];
    const r = convertEuDispenseToM10(eliquis(), { release: rel(), previous, now: NOW });
    expect(r.ok && readM10(r.xml, { allowSyntheticIdentities: true })).toMatchObject({ ok: true, message: { utleveringsrapport: { utlevering: { avsluttet: { v: '1' } } } } });
    const full = convertEuDispenseToM10(eliquis(), { release: rel(), previous: previous.slice(0, 2).concat({ msgId: 'd', dispenseKey: 'k3#completed', quantity: 0.5, annulment: false }), now: NOW });
    expect(full).toMatchObject({ ok: false, refusal: 'conflict' });
  });

  it('refuses a release record of another prescription as no release of this one', () => {
    const other = { ...rel(), reseptId: '00000000-0000-4000-8000-000000000000' };
    expect(convertEuDispenseToM10(eliquis(), { release: other, previous: [], now: NOW })).toMatchObject({ ok: false, refusal: 'business-rule', report: { issue: [{ code: 'not-found' }] } });
  });

  it('refuses another patient than the prescription’s', () => {
    const b = eliquis();
    const patient = b.entry?.find((e) => e.resource?.resourceType === 'Patient')?.resource as { identifier: { value: string }[] };
    patient.identifier[0]!.value = '05917821196';
    expect(convertEuDispenseToM10(b, { release: rel(), previous: [], now: NOW })).toMatchObject({ ok: false, refusal: 'business-rule', report: { issue: [{ expression: ['Bundle.entry[0].resource.subject'] }] } });
  });

  it('refuses a subject that refers to no Patient of the Bundle (400), since it names no patient to compare', () => {
    for (const reference of ['urn:uuid:00000000-0000-4000-8000-000000000000', (eliquis().entry?.find((e) => e.resource?.resourceType === 'Organization')?.fullUrl ?? '')]) {
      const b = eliquis();
      (b.entry?.[0]?.resource as { subject: { reference: string } }).subject = { reference };
      expect(convertEuDispenseToM10(b, { release: rel(), previous: [], now: NOW })).toMatchObject({ ok: false, refusal: 'invalid', report: { issue: [{ expression: ['Bundle.entry[0].resource.subject'] }] } });
    }
  });

  it('refuses a performer that is neither a pharmacist nor a pharmacy (400)', () => {
    const b = eliquis();
    const patientUrl = b.entry?.find((e) => e.resource?.resourceType === 'Patient')?.fullUrl ?? '';
    (b.entry?.[0]?.resource as { performer: { actor: { reference: string } }[] }).performer = [{ actor: { reference: patientUrl } }];
    expect(convertEuDispenseToM10(b, { release: rel(), previous: [], now: NOW })).toMatchObject({ ok: false, refusal: 'invalid', report: { issue: [{ expression: ['Bundle.entry[0].resource.performer[0].actor'] }] } });
  });

  it('refuses (400) a reference it reads that leads to a resource of another type, instead of reading it as one', () => {
    const patientUrl = eliquis().entry?.find((e) => e.resource?.resourceType === 'Patient')?.fullUrl ?? '';
    const cases: [(b: Bundle) => void, string][] = [
      [(b) => { (b.entry?.[4]?.resource as { organization: { reference: string } }).organization = { reference: patientUrl }; }, 'Bundle.entry[4].resource.organization'],
      [(b) => { (b.entry?.[4]?.resource as { practitioner: { reference: string } }).practitioner = { reference: patientUrl }; }, 'Bundle.entry[4].resource.practitioner'],
      [(b) => { (b.entry?.[0]?.resource as { medicationReference: { reference: string } }).medicationReference = { reference: patientUrl }; }, 'Bundle.entry[0].resource.medicationReference'],
      [(b) => { (b.entry?.[0]?.resource as { location: { reference: string } }).location = { reference: 'Location/nowhere' }; }, 'Bundle.entry[0].resource.location'],
    ];
    for (const [change, expression] of cases) {
      const b = eliquis();
      change(b);
      expect(convertEuDispenseToM10(b, { release: rel(), previous: [], now: NOW })).toMatchObject({ ok: false, refusal: 'invalid', report: { issue: [{ code: 'structure', expression: [expression] }] } });
    }
  });

  it('refuses (400) a varenummer coding whose code is not six digits, instead of writing it into the M10 as Varenr', () => {
    const b = eliquis();
    const coding = (b.entry?.[1]?.resource as { code: { coding: { system: string; code: string }[] } }).code.coding;
    const at = coding.findIndex((c) => c.system.endsWith('/NamingSystem/varenummer'));
    expect(at).toBeGreaterThanOrEqual(0);
    coding[at]!.code = 'Ærøå ÆØÅ';
    expect(convertEuDispenseToM10(b, { release: rel(), previous: [], now: NOW })).toMatchObject({ ok: false, refusal: 'invalid', report: { issue: [{ code: 'value', expression: [`Bundle.entry[1].resource.code.coding[${at}].code`] }] } });
  });

  it('lists at most 500 fields it cannot carry by place, and counts the rest in one closing issue', () => {
    const b = eliquis();
    const org = b.entry?.find((e) => e.resource?.resourceType === 'Organization')?.resource as { address?: unknown[] };
    org.address = [...(org.address ?? []), ...Array.from({ length: 700 }, () => ({ city: 'x', line: ['y'] }))];
    const r = convertEuDispenseToM10(b, { release: rel(), previous: [], now: NOW });
    expect(r.ok).toBe(true);
    const issues = r.report.issue ?? [];
    expect(issues).toHaveLength(501);
    expect(issues[500]).toMatchObject({ severity: 'warning', diagnostics: expect.stringMatching(/^\d+ more source fields were not carried over or only approximated; the report lists the first 500$/) });
    expect(Number(/^\d+/.exec(issues[500]!.diagnostics ?? '')?.[0])).toBeGreaterThanOrEqual(900);
  });

  it('refuses (400) a Bundle in which two entries have the same fullUrl: its references would be ambiguous', () => {
    const b = eliquis();
    b.entry![3]!.fullUrl = b.entry![1]!.fullUrl;
    expect(convertEuDispenseToM10(b, { release: rel(), previous: [], now: NOW })).toMatchObject({ ok: false, refusal: 'invalid', report: { issue: [{ expression: ['Bundle.entry[3].fullUrl'], diagnostics: expect.stringContaining('entry[1]') }] } });
  });

  it('refuses a dispensation that is neither completed nor entered-in-error', () => {
    const b = eliquis();
    (b.entry?.[0]?.resource as { status: string }).status = 'declined';
    expect(convertEuDispenseToM10(b, { release: rel(), previous: [], now: NOW })).toMatchObject({ ok: false, refusal: 'business-rule' });
  });

  it('writes Antall in thousandths of a package, says so when that rounds, and refuses less than a thousandth', () => {
    const withQuantity = (value: number, unit = 'package', code = '{package}') => {
      const b = eliquis();
      (b.entry?.[0]?.resource as { quantity: unknown }).quantity = { value, unit, system: 'http://unitsofmeasure.org', code };
      return convertEuDispenseToM10(b, { release: rel(), previous: [], now: NOW });
    };
    const antall = (r: ReturnType<typeof withQuantity>) => (r.ok ? readM10(r.xml, { allowSyntheticIdentities: true }) : undefined);
    const third = withQuantity(1 / 3);
    expect(third.ok && third.stored.quantity).toBe(0.333);
    expect(antall(third)).toMatchObject({ ok: true, message: { utleveringsrapport: { utlevering: { reseptDokLegemiddel: { antall: 0.333 } } } } });
    expect(third.report.issue).toContainEqual(expect.objectContaining({ expression: ['Bundle.entry[0].resource.quantity'], diagnostics: expect.stringContaining('Antall 0.333') }));
    // Everything that is left (Antall 1 × 3 dispensings), give or take a rounding error: the prescription is closed.
    const all = withQuantity(3.0000000001);
    expect(antall(all)).toMatchObject({ ok: true, message: { utleveringsrapport: { utlevering: { avsluttet: { v: '1' }, reseptDokLegemiddel: { antall: 3 } } } } });
    expect(withQuantity(84, 'stk', 'stk')).toMatchObject({ ok: true, stored: { quantity: 0.5 } });
    expect(withQuantity(1e-12)).toMatchObject({ ok: false, refusal: 'invalid', report: { issue: [{ expression: ['Bundle.entry[0].resource.quantity.value'] }] } });
  });

  it('reports a dispensing of a prescription by amount (Mengde, no Antall) as Mengde, not as a number of packages', async () => {
    // m1-virkestoff-dnummer: Mengde 28 stk, Reiterasjon 1, a patient with a D-nummer.
    const omeprazol = release('m1-virkestoff-dnummer.xml');
    const b = eliquis();
    const d = b.entry?.[0]?.resource as { authorizingPrescription: { identifier: { value: string } }[]; quantity: unknown };
    d.authorizingPrescription[0]!.identifier.value = omeprazol.reseptId;
    d.quantity = { value: 28, unit: 'stk' };
    (b.entry?.find((e) => e.resource?.resourceType === 'Patient')?.resource as { identifier: { value: string }[] }).identifier[0]!.value = '47828515124';
    const r = convertEuDispenseToM10(b, { release: omeprazol, previous: [], now: NOW });
    if (!r.ok) throw new Error(JSON.stringify(r.report));
    expect(r.stored.quantity).toBe(28);
    const dok = readM10(r.xml, { allowSyntheticIdentities: true });
    expect(dok.ok && dok.message.utleveringsrapport.utlevering.reseptDokLegemiddel).toMatchObject({ mengde: { v: 28, u: 'stk' }, reiterasjon: 1 });
    expect(dok.ok && dok.message.utleveringsrapport.utlevering.reseptDokLegemiddel?.antall).toBeUndefined();
    expect(dok.ok && dok.message.utleveringsrapport.utlevering.avsluttet).toMatchObject({ v: '2' });
    if (xsdAvailable()) expect((await xsdValidator()).validate(r.xml)).toEqual([]);
  });

  it('takes the dispensing date in Norway, whatever offset whenHandedOver is written with', () => {
    // Utloper of m1-pakning-dosering is 2025-03-04. 23:30 UTC that day is 00:30 on 5 March in Oslo: expired.
    for (const t of ['2025-03-04T23:30:00Z', '2025-03-05T00:30:00+01:00', '2025-03-05T01:30:00+02:00']) {
      const b = eliquis();
      (b.entry?.[0]?.resource as { whenHandedOver: string }).whenHandedOver = t;
      expect(convertEuDispenseToM10(b, { release: rel(), previous: [], now: NOW })).toMatchObject({ ok: false, refusal: 'business-rule', report: { issue: [{ expression: ['Bundle.entry[0].resource.whenHandedOver'] }] } });
    }
    const b = eliquis();
    (b.entry?.[0]?.resource as { whenHandedOver: string }).whenHandedOver = '2025-03-04T22:30:00Z';
    const r = convertEuDispenseToM10(b, { release: rel(), previous: [], now: NOW });
    expect(r.ok && readM10(r.xml, { allowSyntheticIdentities: true })).toMatchObject({ ok: true, message: { utleveringsrapport: { utlevering: { utleveringsdato: '2025-03-04' } } } });
  });

  it('refuses a performer reference that finds nothing in the Bundle (400), and prefixes a pharmacist id without country by EU', () => {
    const b = eliquis();
    (b.entry?.[0]?.resource as { performer: { actor: { reference: string } }[] }).performer = [{ actor: { reference: 'PractitionerRole/abc' } }];
    expect(convertEuDispenseToM10(b, { release: rel(), previous: [], now: NOW })).toMatchObject({ ok: false, refusal: 'invalid', report: { issue: [{ expression: ['Bundle.entry[0].resource.performer[0].actor'] }] } });
    const noCountry = eliquis();
    for (const e of noCountry.entry ?? []) if (e.resource?.resourceType === 'Organization') delete (e.resource as { address?: unknown }).address;
    const r = convertEuDispenseToM10(noCountry, { release: rel(), previous: [], now: NOW });
    expect(r.ok && readM10(r.xml, { allowSyntheticIdentities: true })).toMatchObject({ ok: true, message: { utleveringsrapport: { ansattId: 'EU:9100123' } } });
  });

  it('counts a magistral preparation dispensed in grams as packages of the prescribed amount (Antall 1, Mengde 100 g)', () => {
    const b = euFixture('ed-dk-magistrell.json');
    (b.entry?.[0]?.resource as { quantity: unknown }).quantity = { value: 100, unit: 'g', system: 'http://unitsofmeasure.org', code: 'g' };
    const r = convertEuDispenseToM10(b, { release: release('m1-magistrell.xml'), previous: [], now: NOW });
    expect(r).toMatchObject({ ok: true, stored: { quantity: 1 } });
  });

  it('writes only packages as Antall when the prescription states neither Antall nor Mengde', () => {
    const loose = structuredClone(rel());
    delete (loose.reseptDokLegemiddel as { antall?: number }).antall;
    const withQuantity = (quantity: object) => {
      const b = eliquis();
      (b.entry?.[0]?.resource as { quantity: unknown }).quantity = quantity;
      return convertEuDispenseToM10(b, { release: loose, previous: [], now: NOW });
    };
    expect(withQuantity({ value: 168, unit: 'tablet' })).toMatchObject({ ok: false, refusal: 'business-rule', report: { issue: [{ expression: ['Bundle.entry[0].resource.quantity'] }] } });
    expect(withQuantity({ value: 1, unit: 'package', code: '{package}' })).toMatchObject({ ok: true, stored: { quantity: 1 } });
  });

  it('counts a dispensed package of another size by what it holds, and says when the sizes cannot be compared', () => {
    const withAmount = (value: number, unit: string) => {
      const b = eliquis();
      const medication = b.entry?.find((e) => e.resource?.resourceType === 'Medication')?.resource as { amount?: unknown };
      medication.amount = { numerator: { value, unit }, denominator: { value: 1, unit: 'package' } };
      return convertEuDispenseToM10(b, { release: rel(), previous: [], now: NOW });
    };
    // Eliquis is prescribed in packs of 168 stk: one pack of 56 stk is a third of one.
    const small = withAmount(56, 'stk');
    expect(small).toMatchObject({ ok: true, stored: { quantity: 0.333 } });
    expect(small.report.issue).toContainEqual(expect.objectContaining({ diagnostics: expect.stringContaining('counted as 0.333') }));
    const other = withAmount(56, 'tablet');
    expect(other).toMatchObject({ ok: true, stored: { quantity: 1 } });
    expect(other.report.issue).toContainEqual(expect.objectContaining({ diagnostics: expect.stringContaining('cannot be compared') }));
  });

  it('refuses a quantity in units that cannot be counted against the prescribed packages', () => {
    const b = eliquis();
    (b.entry?.[0]?.resource as { quantity: unknown }).quantity = { value: 30, unit: 'mg', system: 'http://unitsofmeasure.org', code: 'mg' };
    expect(convertEuDispenseToM10(b, { release: rel(), previous: [], now: NOW })).toMatchObject({ ok: false, refusal: 'business-rule' });
  });
});
