import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Bundle, MedicationDispense, MedicationRequest } from '@medplum/fhirtypes';
import { readM10, readM10OrThrow, type M10Message } from '../eresept/messages.js';
import { fixture, REPO_ROOT } from '../test-support/eresept-fixtures.js';
import { baseFhirErrors } from '../test-support/fhir-validation.js';
import { expectGolden } from '../test-support/golden.js';
import { mpdViolations } from '../test-support/mpd-rules.js';
import { accountedFor, xmlLeaves } from '../test-support/xml-leaves.js';
import { EXTENSION, IDENTIFIER_SYSTEM } from '../index.js';
import { convertDispenseToEu } from './dispense-to-eu.js';
import { SIGNATURE_NOT_CARRIED } from './m1-paths.js';

const NOW = new Date('2024-06-11T14:00:00Z');
const ep = (name: string): Bundle => JSON.parse(readFileSync(join(REPO_ROOT, 'test-data/eu', name), 'utf8')) as Bundle;
const M10 = 'm10-eu-resept-amoxicillin.xml';
const m10 = (): M10Message => readM10OrThrow(fixture(M10), { allowSyntheticIdentities: true });

/** The same M10 pointed at another EU prescription id. */
function forPrescription(bundle: Bundle): M10Message {
  const m = m10();
  const id = (bundle.entry?.find((e) => e.resource?.resourceType === 'MedicationRequest')?.resource as MedicationRequest).identifier?.[0]?.value ?? '';
  return { ...m, utleveringsrapport: { ...m.utleveringsrapport, utlevering: { ...m.utleveringsrapport.utlevering, reseptId: id } } };
}

describe('Norwegian pharmacy dispensing → EU eDispensation', () => {
  const result = convertDispenseToEu(ep('ep-se-amoxicillin-valid.json'), m10(), { previous: [], now: NOW });

  it('is valid FHIR R4, meets the MPD constraints and matches its golden file', () => {
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(baseFhirErrors(result.bundle)).toEqual([]);
    expect(mpdViolations(result.bundle)).toEqual([]);
    expectGolden('dispense-to-eu/ep-se-amoxicillin-valid', { bundle: result.bundle, report: result.report });
  });

  it('names the Norwegian pharmacy and pharmacist, the quantity, the dates and the EU prescription', () => {
    if (!result.ok) throw new Error('must convert');
    const d = result.bundle.entry?.[0]?.resource as MedicationDispense;
    expect(d).toMatchObject({
      status: 'completed',
      whenHandedOver: '2024-06-11',
      quantity: { value: 1, code: '{package}' },
      authorizingPrescription: [{ identifier: { value: 'SE-RX-2024-0601-0001' } }],
      substitution: { wasSubstituted: false },
    });
    expect(d.extension).toContainEqual({ url: EXTENSION.dispenseRecorded, valueDateTime: '2024-06-11T15:40:12+02:00' });
    const org = result.bundle.entry?.find((e) => e.resource?.resourceType === 'Organization')?.resource as { identifier: { system: string; value: string }[] };
    expect(org.identifier).toEqual(expect.arrayContaining([{ system: IDENTIFIER_SYSTEM.enh, value: '991001018' }, { system: IDENTIFIER_SYSTEM.ako, value: '9123' }]));
    const pharmacist = result.bundle.entry?.find((e) => e.resource?.resourceType === 'Practitioner')?.resource as { identifier: { system: string; value: string }[] };
    expect(pharmacist.identifier[0]).toEqual({ system: IDENTIFIER_SYSTEM.hpr, value: '565104380' });
  });

  it('accounts for every element and attribute of the M10', () => {
    if (!result.ok) throw new Error('must convert');
    const locations = [...(result.report.issue ?? []).flatMap((i) => i.location ?? []), ...result.accounted()];
    expect(xmlLeaves(fixture(M10)).filter((leaf) => !accountedFor(leaf, locations))).toEqual([]);
  });

  it("reports a signed M10's ds:Signature once, with its own reason", () => {
    // The pharmacy's signature, as a signed M10 carries it (the M1 fixture's signature block stands in).
    const signed = fixture('m1-signert.xml');
    const signature = signed.slice(signed.indexOf('<ds:Signature'), signed.indexOf('</mh:MsgHead>'));
    const m10Signed = readM10OrThrow(fixture(M10).replace('</MsgHead>', `${signature}</MsgHead>`), { allowSyntheticIdentities: true });
    const out = convertDispenseToEu(ep('ep-se-amoxicillin-valid.json'), m10Signed, { previous: [], now: NOW });
    const issues = (out.ok ? out.report.issue : []).filter((i) => i.location?.some((l) => l.includes('ds:')));
    expect(issues).toEqual([
      { severity: 'warning', code: 'not-supported', diagnostics: `not carried over: ${SIGNATURE_NOT_CARRIED}`, location: ['/mh:MsgHead/ds:Signature'] },
    ]);
  });

  it('refuses an expired or not yet valid EU prescription (business rule)', () => {
    for (const name of ['ep-dk-salbutamol-expired.json', 'ep-fi-ibuprofen-not-yet-valid.json']) {
      const b = ep(name);
      expect(convertDispenseToEu(b, forPrescription(b), { previous: [], now: NOW })).toMatchObject({ ok: false, refusal: 'business-rule' });
    }
  });

  it('refuses (400) a prescription Bundle in which two entries have the same fullUrl', () => {
    const b = ep('ep-se-amoxicillin-valid.json');
    b.entry![2]!.fullUrl = b.entry![1]!.fullUrl;
    expect(convertDispenseToEu(b, forPrescription(b), { previous: [], now: NOW })).toMatchObject({ ok: false, refusal: 'invalid', report: { issue: [{ expression: ['Bundle.entry[2].fullUrl'] }] } });
  });

  it('refuses more packages than the EU prescription allows (conflict)', () => {
    expect(convertDispenseToEu(ep('ep-se-amoxicillin-valid.json'), m10(), { previous: [{ dispenseKey: 'x', packages: 1, annulment: false }], now: NOW })).toMatchObject({ ok: false, refusal: 'conflict' });
  });

  it('annuls as the EU does: the same identifier and quantity with status entered-in-error, once', () => {
    const original = m10();
    const first = convertDispenseToEu(ep('ep-se-amoxicillin-valid.json'), original, { previous: [], now: NOW });
    if (!first.ok) throw new Error('must convert');
    const u = original.utleveringsrapport.utlevering;
    const annulment: M10Message = {
      ...original,
      msgHead: { ...original.msgHead, msgInfo: { ...original.msgHead.msgInfo, msgId: '11111111-2222-4333-8444-555555555555' } },
      utleveringsrapport: { ...original.utleveringsrapport, utlevering: { ...u, annullering: true, annulleringsId: original.msgHead.msgInfo.msgId } },
    };
    const r = convertDispenseToEu(ep('ep-se-amoxicillin-valid.json'), annulment, { previous: [first.stored], now: NOW });
    if (!r.ok) throw new Error(JSON.stringify(r.report));
    const [annulled, dispensed] = [r, first].map((x) => x.bundle.entry?.[0]?.resource as MedicationDispense);
    expect(annulled).toMatchObject({ status: 'entered-in-error', identifier: dispensed!.identifier, quantity: dispensed!.quantity });
    expect(r.stored).toMatchObject({ dispenseKey: '11111111-2222-4333-8444-555555555555', annulment: true, annuls: original.msgHead.msgInfo.msgId });
    const again = { ...annulment, msgHead: { ...annulment.msgHead, msgInfo: { ...annulment.msgHead.msgInfo, msgId: '11111111-2222-4333-8444-555555555556' } } };
    expect(convertDispenseToEu(ep('ep-se-amoxicillin-valid.json'), again, { previous: [first.stored, r.stored], now: NOW })).toMatchObject({ ok: false, refusal: 'conflict' });
  });

  it('refuses a pharmacy without organisation number or licence, a pharmacist without HPR number, and another patient', () => {
    const xml = fixture(M10);
    const read = (text: string) => readM10OrThrow(text, { allowSyntheticIdentities: true });
    const convert = (m: M10Message) => convertDispenseToEu(ep('ep-se-amoxicillin-valid.json'), m, { previous: [], now: NOW });
    const noAko = xml.replace(/<Ident>\s*<Id>[^<]*<\/Id>\s*<TypeId V="AKO"[^>]*\/>\s*<\/Ident>/, '');
    expect(noAko).not.toContain('V="AKO"');
    expect(convert(read(noAko))).toMatchObject({ ok: false, refusal: 'invalid', report: { issue: [{ location: ['/mh:MsgHead/mh:MsgInfo/mh:Sender/mh:Organisation'], diagnostics: expect.stringContaining('AKO') }] } });
    expect(convert(read(xml.replace('<m10:AnsattId>565104380</m10:AnsattId>', '<m10:AnsattId>Kari Nordmann</m10:AnsattId>')))).toMatchObject({
      ok: false, refusal: 'invalid', report: { issue: [{ location: [expect.stringMatching(/m10:AnsattId$/)] }] },
    });
    expect(convert(read(xml.replace('<DateOfBirth>1987-03-14</DateOfBirth>', '<DateOfBirth>1950-01-01</DateOfBirth>')))).toMatchObject({
      ok: false, refusal: 'business-rule', report: { issue: [{ location: ['/mh:MsgHead/mh:MsgInfo/mh:Patient/mh:DateOfBirth'] }] },
    });
  });

  it('refuses a patient of the same birth date with another family name; spellings of the same name pass', () => {
    const xml = fixture(M10);
    const named = (family: string) => convertDispenseToEu(ep('ep-se-amoxicillin-valid.json'),
      readM10OrThrow(xml.replace('<FamilyName>Testberg</FamilyName>', `<FamilyName>${family}</FamilyName>`), { allowSyntheticIdentities: true }), { previous: [], now: NOW });
    const refused = named('Hansen');
    expect(refused).toMatchObject({ ok: false, refusal: 'business-rule', report: { issue: [{ location: ['/mh:MsgHead/mh:MsgInfo/mh:Patient/mh:FamilyName'] }] } });
    // The answer does not repeat either name.
    expect(JSON.stringify(refused.report)).not.toMatch(/Hansen|Testberg/);
    for (const same of ['TESTBERG', 'Testberg-Nilsen', 'Nilsen Testberg']) expect(named(same)).toMatchObject({ ok: true });
  });

  it('carries only "valgt annen vare" as substitution; another intervention is reported, its reason not put in substitution', () => {
    const intervention = '<ul:Intervensjon><ul:EndringsType V="D" DN="Endret dosering"/><ul:Begrunnelse>Dosen økt til 2 kapsler</ul:Begrunnelse></ul:Intervensjon>';
    const dosage = readM10OrThrow(fixture(M10).replace('</ul:Utleverer>', `</ul:Utleverer>${intervention}`), { allowSyntheticIdentities: true });
    expect(dosage.utleveringsrapport.utlevering.intervensjon).toHaveLength(1);
    const r = convertDispenseToEu(ep('ep-se-amoxicillin-valid.json'), dosage, { previous: [], now: NOW });
    if (!r.ok) throw new Error('must convert');
    expect((r.bundle.entry?.[0]?.resource as MedicationDispense).substitution).toEqual({ wasSubstituted: false });
    expect(r.report.issue).toContainEqual(expect.objectContaining({ location: [expect.stringContaining('ul:Intervensjon')] }));
  });

  it('takes Utleveringsdato with a time zone as its calendar date; a year outside 0001–9999 is refused when the M10 is read', () => {
    const xml = fixture(M10);
    const convert = (date: string) => convertDispenseToEu(ep('ep-se-amoxicillin-valid.json'), readM10OrThrow(xml.replace('<ul:Utleveringsdato>2024-06-11<', `<ul:Utleveringsdato>${date}<`), { allowSyntheticIdentities: true }), { previous: [], now: NOW });
    const zoned = convert('2024-06-11-14:00');
    expect(zoned).toMatchObject({ ok: true, dispensedOn: '2024-06-11' });
    expect(zoned.ok && (zoned.bundle.entry?.[0]?.resource as MedicationDispense).whenHandedOver).toBe('2024-06-11');
    // A year FHIR cannot carry does not get as far as the conversion: the M10 reader refuses it.
    const negative = readM10(xml.replace('<ul:Utleveringsdato>2024-06-11<', '<ul:Utleveringsdato>-2024-06-11<'), { allowSyntheticIdentities: true });
    expect(negative).toMatchObject({ ok: false, issues: [{ code: 'value', xpath: expect.stringMatching(/ul:Utleveringsdato$/) }] });
  });

  it('refuses a dispensing for another prescription id', () => {
    expect(convertDispenseToEu(ep('ep-de-levothyroxin-no-substitution.json'), m10(), { previous: [], now: NOW })).toMatchObject({ ok: false, refusal: 'business-rule' });
  });

  it('locates refusals about the prescription in its Bundle (FHIRPath), not in the M10', () => {
    const stopped = ep('ep-se-amoxicillin-valid.json');
    const mrAt = stopped.entry!.findIndex((e) => e.resource?.resourceType === 'MedicationRequest');
    (stopped.entry![mrAt]!.resource as MedicationRequest).status = 'stopped';
    expect(convertDispenseToEu(stopped, m10(), { previous: [], now: NOW })).toMatchObject({
      ok: false, refusal: 'business-rule', report: { issue: [{ expression: [`Bundle.entry[${mrAt}].resource.status`] }] },
    });
    const noPatient = ep('ep-se-amoxicillin-valid.json');
    (noPatient.entry![mrAt]!.resource as MedicationRequest).subject = { reference: (noPatient.entry![mrAt]!.resource as MedicationRequest).requester?.reference ?? '' };
    const refused = convertDispenseToEu(noPatient, m10(), { previous: [], now: NOW });
    expect(refused).toMatchObject({ ok: false, refusal: 'invalid', report: { issue: [{ expression: [`Bundle.entry[${mrAt}].resource.subject`] }] } });
    expect(refused.report.issue[0]?.location).toBeUndefined();
  });

  it('refuses a prescription without status, or with a prescribed quantity that is not above zero, at its FHIRPath', () => {
    const noStatus = ep('ep-se-amoxicillin-valid.json');
    const mrAt = noStatus.entry!.findIndex((e) => e.resource?.resourceType === 'MedicationRequest');
    delete (noStatus.entry![mrAt]!.resource as Partial<MedicationRequest>).status;
    expect(convertDispenseToEu(noStatus, m10(), { previous: [], now: NOW })).toMatchObject({
      ok: false, refusal: 'invalid', report: { issue: [{ expression: [`Bundle.entry[${mrAt}].resource.status`], diagnostics: expect.not.stringContaining('undefined') }] },
    });
    const zero = ep('ep-se-amoxicillin-valid.json');
    const request = zero.entry![mrAt]!.resource as MedicationRequest;
    const at = request.dispenseRequest!.extension!.findIndex((e) => e.url === EXTENSION.prescribedQuantity);
    request.dispenseRequest!.extension![at]!.valueQuantity!.value = 0;
    expect(convertDispenseToEu(zero, m10(), { previous: [], now: NOW })).toMatchObject({
      ok: false, refusal: 'invalid', report: { issue: [{ expression: [`Bundle.entry[${mrAt}].resource.dispenseRequest.extension[${at}].valueQuantity.value`] }] },
    });
  });

  it('refuses to count packages (Antall) against a prescribed quantity in tablets, at its FHIRPath (business rule)', () => {
    const tablets = ep('ep-se-amoxicillin-valid.json');
    const mrAt = tablets.entry!.findIndex((e) => e.resource?.resourceType === 'MedicationRequest');
    const request = tablets.entry![mrAt]!.resource as MedicationRequest;
    const at = request.dispenseRequest!.extension!.findIndex((e) => e.url === EXTENSION.prescribedQuantity);
    request.dispenseRequest!.extension![at]!.valueQuantity = { value: 21, unit: 'tablet', system: 'http://unitsofmeasure.org', code: '{tbl}' };
    expect(convertDispenseToEu(tablets, m10(), { previous: [], now: NOW })).toMatchObject({
      ok: false, refusal: 'business-rule', report: { issue: [{ code: 'not-supported', expression: [`Bundle.entry[${mrAt}].resource.dispenseRequest.extension[${at}].valueQuantity`], diagnostics: expect.stringContaining('"tablet"') }] },
    });
  });

  it('refuses a substitution the EU prescriber did not allow, as allowedBoolean false or as the code N', () => {
    const noSubstitution = ep('ep-de-levothyroxin-no-substitution.json');
    const coded = ep('ep-se-amoxicillin-valid.json');
    const mr = coded.entry?.find((e) => e.resource?.resourceType === 'MedicationRequest')?.resource as MedicationRequest;
    mr.substitution = { allowedCodeableConcept: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-substanceAdminSubstitution', code: 'N' }] } };
    for (const b of [noSubstitution, coded]) {
      const m = forPrescription(b);
      const u = m.utleveringsrapport.utlevering;
      const substituted: M10Message = { ...m, utleveringsrapport: { ...m.utleveringsrapport, utlevering: { ...u, utleveringsdato: '2024-06-11', intervensjon: [{ endringsType: { v: 'V', dn: 'Valgt annen vare' } }] } } };
      expect(convertDispenseToEu(b, substituted, { previous: [], now: NOW })).toMatchObject({ ok: false, refusal: 'business-rule', report: { issue: [{ diagnostics: expect.stringContaining('substitution') }] } });
    }
  });

  it('counts against dispenseRequest.quantity when the prescribedQuantity extension is absent', () => {
    const b = ep('ep-se-amoxicillin-valid.json');
    const mrAt = b.entry!.findIndex((e) => e.resource?.resourceType === 'MedicationRequest');
    const request = b.entry![mrAt]!.resource as MedicationRequest;
    const at = request.dispenseRequest!.extension!.findIndex((e) => e.url === EXTENSION.prescribedQuantity);
    const [extension] = request.dispenseRequest!.extension!.splice(at, 1);
    if (request.dispenseRequest!.extension!.length === 0) delete request.dispenseRequest!.extension;
    request.dispenseRequest!.quantity = extension!.valueQuantity;
    expect(convertDispenseToEu(b, m10(), { previous: [{ dispenseKey: 'x', packages: 1, annulment: false }], now: NOW })).toMatchObject({ ok: false, refusal: 'conflict' });
    request.dispenseRequest!.quantity = { value: 21, unit: 'capsule', code: '{capsule}' };
    expect(convertDispenseToEu(b, m10(), { previous: [], now: NOW })).toMatchObject({
      ok: false, refusal: 'business-rule', report: { issue: [{ expression: [`Bundle.entry[${mrAt}].resource.dispenseRequest.quantity`] }] },
    });
  });
});
