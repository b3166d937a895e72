import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Bundle, MedicationRequest, Organization } from '@medplum/fhirtypes';
import { EXTENSION } from '../terminology/fhir-systems.js';
import { REPO_ROOT } from '../test-support/eresept-fixtures.js';
import { pharmacyViewHtml } from './eu-prescription-html.js';
import { euPrescriptionView, ViewInputError } from './eu-prescription-view.js';

const NOW = new Date('2024-06-10T08:00:00Z');
const ep = (name: string): Bundle => JSON.parse(readFileSync(join(REPO_ROOT, 'test-data/eu', name), 'utf8')) as Bundle;

describe('the pharmacy view of an EU ePrescription', () => {
  it('shows patient, prescriber, country, product, dosage, quantity, repeats, validity and substitution', () => {
    const v = euPrescriptionView(ep('ep-se-amoxicillin-valid.json'), { now: NOW });
    expect(v).toMatchObject({
      prescriptionId: 'SE-RX-2024-0601-0001',
      country: 'SE',
      patient: { name: 'Maja Testberg', birthDate: '1987-03-14' },
      prescriber: { name: 'Johan Exempelsson', country: 'SE' },
      product: { atc: { code: 'J01CA04' } },
      repeats: 0,
      validity: { from: '2024-06-01', to: '2025-06-01' },
      substitution: { allowed: true, text: 'Bytte er tillatt' },
      warnings: [],
    });
    expect(v.quantity).toBe('1 pakning(er)');
    expect(v.dosage.originalText.length).toBeGreaterThan(0);
    expect(v.dosage.lines[0]).toMatch(/3 ganger per døgn/);
    expect(v.product.form?.original).toBeTruthy();
  });

  it('writes ranges, weekdays, bounds and counts of a structured dosage, and says when it cannot write it all', () => {
    const withDosage = (dosage: object) => {
      const b = ep('ep-se-amoxicillin-valid.json');
      (b.entry?.find((e) => e.resource?.resourceType === 'MedicationRequest')?.resource as MedicationRequest).dosageInstruction = [dosage];
      return euPrescriptionView(b, { now: NOW }).dosage.lines[0];
    };
    const tablets = { value: 1, unit: 'tablett' };
    expect(withDosage({ doseAndRate: [{ doseQuantity: tablets }], timing: { repeat: { frequency: 1, frequencyMax: 3, period: 1, periodUnit: 'd' } } })).toBe('1 tablett, 1–3 ganger per døgn');
    expect(withDosage({ doseAndRate: [{ doseRange: { low: tablets, high: { value: 2, unit: 'tablett' } } }], timing: { repeat: { frequency: 1, period: 4, periodMax: 6, periodUnit: 'h' } } })).toBe('1–2 tablett, 1 gang per 4–6 time');
    expect(withDosage({ doseAndRate: [{ doseQuantity: { value: 15, unit: 'mg' } }], timing: { repeat: { frequency: 1, period: 1, periodUnit: 'wk', dayOfWeek: ['mon'], count: 4, boundsPeriod: { start: '2024-06-10' } } } }))
      .toBe('15 mg, 1 gang per uke, på mandag, fra 2024-06-10, 4 ganger i alt');
    expect(withDosage({ doseAndRate: [{ doseQuantity: tablets }], timing: { repeat: { frequency: 1, period: 1, periodUnit: 'd', offset: 30, when: ['AC'] } } })).toMatch(/ikke fullstendig: se originalteksten/);
    // UCUM 1 maps to the narrower "dose" and EDQM System to "vaginalring": the prescription's own unit is shown.
    expect(withDosage({ doseAndRate: [{ doseQuantity: { value: 1, unit: 'tablet', system: 'http://unitsofmeasure.org', code: '1' } }] })).toBe('1 tablet');
    expect(withDosage({ doseAndRate: [{ doseQuantity: { value: 1, unit: 'System', system: 'http://standardterms.edqm.eu', code: '15053000' } }] })).toBe('1 System');
    expect(withDosage({ doseAndRate: [{ doseQuantity: { value: 1, unit: 'Capsule', system: 'http://standardterms.edqm.eu', code: '15012000' } }] })).toBe('1 kapsel');
  });

  it('says "ukjent" where the prescription leaves a value out, and warns when it has no identifier', () => {
    const b = ep('ep-se-amoxicillin-valid.json');
    const mr = b.entry!.find((e) => e.resource?.resourceType === 'MedicationRequest')!.resource as MedicationRequest;
    const organisation = b.entry!.find((e) => e.resource?.resourceType === 'Organization')!;
    delete mr.identifier;
    mr.requester = { reference: organisation.fullUrl! };
    (organisation.resource as Organization).address = [{ country: ' ' }];
    delete mr.dispenseRequest!.extension!.find((e) => e.url === EXTENSION.prescribedQuantity)!.valueQuantity!.value;
    const v = euPrescriptionView(b, { now: NOW });
    expect(v).toMatchObject({
      prescriptionId: 'ukjent',
      prescriber: { name: 'ukjent', organisation: (organisation.resource as Organization).name },
      quantity: 'ukjent antall pakning(er)',
    });
    expect(v.country).toBeUndefined();
    expect(v.warnings).toContainEqual(expect.objectContaining({ code: 'no-identifier' }));
    expect(v.warnings).not.toContainEqual(expect.objectContaining({ code: 'no-patient' }));
    mr.subject = { reference: organisation.fullUrl! };
    expect(euPrescriptionView(b, { now: NOW })).toMatchObject({ patient: { name: 'ukjent' }, warnings: expect.arrayContaining([expect.objectContaining({ code: 'no-patient' })]) });
  });

  it('says when substitution is not allowed, as allowedBoolean false or as the code N', () => {
    expect(euPrescriptionView(ep('ep-de-levothyroxin-no-substitution.json'), { now: NOW }).substitution).toEqual({ allowed: false, text: 'Bytte er IKKE tillatt' });
    const coded = ep('ep-se-amoxicillin-valid.json');
    const mr = coded.entry?.find((e) => e.resource?.resourceType === 'MedicationRequest')?.resource as MedicationRequest;
    mr.substitution = { allowedCodeableConcept: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-substanceAdminSubstitution', code: 'N' }] } };
    expect(euPrescriptionView(coded, { now: NOW }).substitution).toEqual({ allowed: false, text: 'Bytte er IKKE tillatt' });
    mr.substitution = { allowedCodeableConcept: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-substanceAdminSubstitution', code: 'G' }] } };
    expect(euPrescriptionView(coded, { now: NOW }).substitution).toEqual({ allowed: true, text: 'Bytte er tillatt' });
  });

  it('decides expired and not yet valid by the date in Norway', () => {
    // 22:30 UTC on 31 May is 00:30 on 1 June in Oslo: a prescription valid to 31 May has expired there.
    expect(euPrescriptionView(ep('ep-dk-salbutamol-expired.json'), { now: new Date('2024-05-31T22:30:00Z') }).warnings).toContainEqual(expect.objectContaining({ code: 'expired' }));
    expect(euPrescriptionView(ep('ep-fi-ibuprofen-not-yet-valid.json'), { now: new Date('2024-06-30T22:30:00Z') }).warnings).not.toContainEqual(expect.objectContaining({ code: 'not-yet-valid' }));
  });

  it.each([
    ['ep-dk-salbutamol-expired.json', 'expired'],
    ['ep-fi-ibuprofen-not-yet-valid.json', 'not-yet-valid'],
  ])('warns for %s (%s)', (name, code) => {
    expect(euPrescriptionView(ep(name), { now: NOW }).warnings).toContainEqual(expect.objectContaining({ code }));
  });

  it('warns when the prescribed quantity is not in packages, since a dispensing in packages cannot be reported against it', () => {
    const b = ep('ep-se-amoxicillin-valid.json');
    const mr = b.entry?.find((e) => e.resource?.resourceType === 'MedicationRequest')?.resource as MedicationRequest;
    mr.dispenseRequest!.extension!.find((e) => e.url === EXTENSION.prescribedQuantity)!.valueQuantity = { value: 21, unit: 'tablet', code: '{tbl}' };
    expect(euPrescriptionView(b, { now: NOW }).warnings).toEqual([expect.objectContaining({ code: 'not-in-packages', message: expect.stringContaining('«tablet»') })]);
    expect(euPrescriptionView(ep('ep-se-amoxicillin-valid.json'), { now: NOW }).warnings).toEqual([]);
  });

  it('warns when the prescription was already dispensed in Norway', () => {
    const v = euPrescriptionView(ep('ep-se-amoxicillin-already-dispensed.json'), { now: NOW, dispensed: [{ date: '2024-06-05', packages: 1 }] });
    expect(v.warnings).toEqual([{ code: 'already-dispensed', message: 'Allerede utlevert i Norge 2024-06-05: 1 pakning(er).' }]);
  });

  it('renders Norwegian HTML that escapes what it shows', () => {
    const b = ep('ep-se-amoxicillin-valid.json');
    const patient = b.entry?.find((e) => e.resource?.resourceType === 'Patient')?.resource as { name: { family: string }[] };
    patient.name[0]!.family = '<script>alert(1)</script>';
    const html = pharmacyViewHtml(euPrescriptionView(b, { now: NOW }));
    expect(html).toContain('<html lang="nb">');
    expect(html).toContain('Legemiddelform');
    expect(html).toContain('&lt;script&gt;');
    expect(html).not.toContain('<script>');
  });

  it('refuses a Bundle without a MedicationRequest, saying where', () => {
    expect(() => euPrescriptionView({ resourceType: 'Bundle', type: 'collection', entry: [] })).toThrow(ViewInputError);
  });

  it('refuses a Bundle in which two entries have the same fullUrl, saying which', () => {
    const b = ep('ep-se-amoxicillin-valid.json');
    b.entry![2]!.fullUrl = b.entry![1]!.fullUrl;
    expect(() => euPrescriptionView(b, { now: NOW })).toThrow(expect.objectContaining({ expression: 'Bundle.entry[2].fullUrl' }));
  });
});
