import type { Bundle, Medication, MedicationRequest, Organization, Patient } from '@medplum/fhirtypes';
import { readM1OrThrow, type M1Message } from '../eresept/messages.js';
import { fixture, fixtureNames } from '../test-support/eresept-fixtures.js';
import { baseFhirErrors } from '../test-support/fhir-validation.js';
import { expectGolden } from '../test-support/golden.js';
import { mpdViolations } from '../test-support/mpd-rules.js';
import { accountedFor, xmlLeaves } from '../test-support/xml-leaves.js';
import { EXTENSION, IDENTIFIER_SYSTEM, PROJECT_IDENTIFIER_SYSTEM, SYSTEM } from '../index.js';
import { SIGNATURE_NOT_CARRIED } from './m1-paths.js';
import { convertM1ToEuPrescription } from './m1-to-eu-prescription.js';

const NOW = new Date('2024-06-10T08:00:00Z');
const read = (name: string): M1Message => readM1OrThrow(fixture(name), { allowSyntheticIdentities: true });
const convert = (name: string) => convertM1ToEuPrescription(read(name), { now: NOW });
const resource = <T>(b: Bundle, type: string) => b.entry?.find((e) => e.resource?.resourceType === type)?.resource as T;

describe.each(fixtureNames('m1-'))('M1 → EU ePrescription: %s', (name) => {
  const result = convert(name);

  it('is valid FHIR R4 and meets the MPD constraints', () => {
    expect(baseFhirErrors(result.bundle)).toEqual([]);
    expect(mpdViolations(result.bundle)).toEqual([]);
    expect(result.release).toBeDefined();
  });

  it('matches its golden file (bundle and report)', () => {
    expectGolden(`m1-to-eu/${name.replace(/\.xml$/, '')}`, { bundle: result.bundle, report: result.report });
  });

  it('accounts for every element and attribute of the message: carried, approximated or reported', () => {
    const locations = [...(result.report.issue ?? []).flatMap((i) => i.location ?? []), ...result.accounted()];
    const unaccounted = xmlLeaves(fixture(name)).filter((leaf) => !accountedFor(leaf, locations));
    expect(unaccounted).toEqual([]);
  });
});


describe('a signed M1', () => {
  it('reports the signature once, at ds:Signature, with its own reason (nothing inside it separately)', () => {
    const issues = convert('m1-signert.xml').report.issue ?? [];
    const signature = issues.filter((i) => i.location?.some((l) => l.includes('ds:')));
    expect(signature).toEqual([
      { severity: 'warning', code: 'not-supported', diagnostics: `not carried over: ${SIGNATURE_NOT_CARRIED}`, location: ['/mh:MsgHead/ds:Signature'] },
    ]);
  });
});

describe('what M1 → EU carries', () => {
  it('identifies the request by ReseptId and carries dates, repeats, quantity and substitution', () => {
    const { bundle } = convert('m1-pakning-dosering.xml');
    const mr = resource<MedicationRequest>(bundle, 'MedicationRequest');
    expect(mr.identifier?.[0]).toMatchObject({ system: PROJECT_IDENTIFIER_SYSTEM.reseptId, value: '240a3213-df60-4662-9180-5b2088c69077' });
    expect(mr).toMatchObject({ status: 'active', intent: 'order', authoredOn: '2024-03-04' });
    expect(mr.dispenseRequest).toMatchObject({ validityPeriod: { start: '2024-03-04', end: '2025-03-04' }, numberOfRepeatsAllowed: 2 });
    expect(mr.dispenseRequest?.extension?.[0]).toMatchObject({ url: EXTENSION.prescribedQuantity, valueQuantity: { value: 1, code: '{package}' } });
    expect(mr.substitution).toEqual({ allowedBoolean: true });
    expect(mr.dosageInstruction?.length).toBeGreaterThanOrEqual(2);
    const med = resource<Medication>(bundle, 'Medication');
    expect(med.code?.coding?.[0]).toMatchObject({ system: PROJECT_IDENTIFIER_SYSTEM.varenummer, code: '481736' });
    expect(med.extension).toContainEqual({ url: EXTENSION.classification, valueCodeableConcept: { coding: [{ system: SYSTEM.atc, code: 'B01AF02', display: 'Apiksaban' }] } });
  });

  it('turns the prescriber reservation into substitution not allowed', () => {
    const mr = resource<MedicationRequest>(convert('m1-merkevare-kortdose.xml').bundle, 'MedicationRequest');
    expect(mr.substitution).toEqual({ allowedBoolean: false });
  });

  it('gives the blå resept diagnosis as reasonCode in ICPC-2', () => {
    const mr = resource<MedicationRequest>(convert('m1-blaa-resept-icpc.xml').bundle, 'MedicationRequest');
    expect(mr.reasonCode?.[0]?.coding?.[0]).toMatchObject({ system: SYSTEM.icpc2, code: 'T90' });
  });

  it('identifies a D-nummer patient with the D-nummer system, and derives a birth date from a fødselsnummer', () => {
    const dnr = resource<Patient>(convert('m1-virkestoff-dnummer.xml').bundle, 'Patient');
    expect(dnr.identifier?.[0]).toEqual({ system: IDENTIFIER_SYSTEM.dnr, value: '47828515124' });
    expect(dnr.birthDate).toBe('1985-02-07');
    const fnr = resource<Patient>(convert('m1-pakning-dosering.xml').bundle, 'Patient');
    expect(fnr.birthDate).toBe('1954-03-12');
  });

  it('describes a magistral preparation by its constituents and carries the preparation instructions as a note', () => {
    const { bundle } = convert('m1-magistrell.xml');
    const med = resource<Medication>(bundle, 'Medication');
    expect(med.ingredient?.length).toBe(2);
    expect(med.ingredient?.some((i) => i.isActive && i.strength?.numerator?.value !== undefined)).toBe(true);
    expect(resource<MedicationRequest>(bundle, 'MedicationRequest').note?.[0]?.text).toMatch(/^Tilberedning/);
  });

  it('refuses an expired prescription, with the reason at m1:Utloper', () => {
    const late = convertM1ToEuPrescription(read('m1-pakning-dosering.xml'), { now: new Date('2026-01-01T00:00:00Z') });
    expect(late.release).toBeUndefined();
    expect(late.report.issue).toContainEqual(expect.objectContaining({ severity: 'error', code: 'business-rule', location: [expect.stringMatching(/m1:Utloper$/)] }));
  });

  it('refuses a prescription whose patient has no fødselsnummer or D-nummer', () => {
    const m1 = read('m1-pakning-dosering.xml');
    const anonymous: M1Message = { ...m1, msgHead: { ...m1.msgHead, msgInfo: { ...m1.msgHead.msgInfo, patient: { ...m1.msgHead.msgInfo.patient, ident: [] } } } };
    const r = convertM1ToEuPrescription(anonymous, { now: NOW });
    expect(r.release).toBeUndefined();
    expect(r.report.issue).toContainEqual(expect.objectContaining({ severity: 'error', code: 'required' }));
  });

  it('gives no empty FHIR values: an address of only a kommune number is left out, text is carried trimmed', () => {
    const xml = fixture('m1-pakning-dosering.xml')
      .replace('<ns2:Varenr>', '<ns2:Varenr>  \n')
      .replace(/<Address>\s*<Type V="H" DN="Bostedsadresse"\/>\s*<StreetAdr>Testveien 12<\/StreetAdr>\s*<PostalCode>0571<\/PostalCode>\s*<City>Oslo<\/City>/, '<Address>');
    const result = convertM1ToEuPrescription(readM1OrThrow(xml, { allowSyntheticIdentities: true }), { now: NOW });
    expect(resource<Patient>(result.bundle, 'Patient').address).toBeUndefined();
    expect(resource<Medication>(result.bundle, 'Medication').code?.coding?.[0]?.code).toMatch(/^\S+$/);
    expect(baseFhirErrors(result.bundle)).toEqual([]);
  });

  it('leaves out the identifier of a party whose idents are all of a type FHIR has no system for (no empty array), saying so', () => {
    const m1 = readM1OrThrow(fixture('m1-pakning-dosering.xml'), { allowSyntheticIdentities: true });
    const sender = m1.msgHead.msgInfo.sender.organisation;
    for (const ident of sender.ident) ident.typeId = { v: 'XYZ' };
    const result = convertM1ToEuPrescription(m1, { now: NOW });
    const org = result.bundle.entry?.map((e) => e.resource).find((r): r is Organization => r?.resourceType === 'Organization' && r.name === sender.organisationName);
    expect(org).toBeDefined();
    expect(org && 'identifier' in org).toBe(false);
    expect(result.report.issue).toContainEqual(expect.objectContaining({ diagnostics: expect.stringContaining('identifier type XYZ') }));
    expect(baseFhirErrors(result.bundle)).toEqual([]);
  });

  describe('dosage', () => {
    const xml = fixture('m1-pakning-dosering.xml');
    const variant = (from: string, to: string) => {
      expect(xml).toContain(from);
      const r = convertM1ToEuPrescription(readM1OrThrow(xml.replace(from, to), { allowSyntheticIdentities: true }), { now: NOW });
      return { dosages: resource<MedicationRequest>(r.bundle, 'MedicationRequest').dosageInstruction ?? [], r };
    };
    const morning = '<ns2:Tidsomrade V="1" DN="Morgen"/>';
    const dosering = xml.slice(xml.indexOf('<ns2:Dosering>'), xml.indexOf('</ns2:Dosering>') + '</ns2:Dosering>'.length);

    it('gives the doses of one Dosering one sequence number (taken side by side), the next Dosering the next', () => {
      expect(variant('x', 'x').dosages.map((d) => d.sequence)).toEqual([1, 1]);
      const later = dosering.replace('<ns2:Starttidspunkt V="2024-03-04"/>', '<ns2:Starttidspunkt V="2024-03-11"/>');
      expect(variant(dosering, dosering + later).dosages.map((d) => d.sequence)).toEqual([1, 1, 2, 2]);
    });

    it('gives no frequency to a dose on fixed weekdays (it would read as daily), and says so', () => {
      const { dosages, r } = variant(`${morning}\n                  <ns2:GisEksakt>false</ns2:GisEksakt>`, `${morning}\n                  <ns2:GisEksakt>false</ns2:GisEksakt><ns2:FastDose><ns2:FasteUkedager V="1" DN="Mandag"/></ns2:FastDose>`);
      expect(dosages[0]?.timing?.repeat).not.toHaveProperty('frequency');
      expect(dosages[0]?.timing?.repeat).not.toHaveProperty('period');
      expect(dosages[1]?.timing?.repeat).toMatchObject({ frequency: 1, period: 1, periodUnit: 'd' });
      expect(r.report.issue).toContainEqual(expect.objectContaining({ location: [expect.stringMatching(/fs:DoseFastTidspunkt\[1\]\/fs:FastDose$/)] }));
    });

    it('keeps an exact time and reports the period of the day beside it (FHIR allows one of the two)', () => {
      const { dosages, r } = variant(morning, `<ns2:Klokkeslett>08:00:00</ns2:Klokkeslett>${morning}`);
      expect(dosages[0]?.timing?.repeat).toMatchObject({ timeOfDay: ['08:00:00'] });
      expect(dosages[0]?.timing?.repeat).not.toHaveProperty('when');
      expect(baseFhirErrors(r.bundle)).toEqual([]);
      expect(r.report.issue).toContainEqual(expect.objectContaining({ location: [expect.stringMatching(/fs:DoseFastTidspunkt\[1\]\/fs:Tidsomrade$/)] }));
    });

    it('carries a start with a time but no time zone as its date, and leaves out a bare time, saying so', () => {
      const start = '<ns2:Starttidspunkt V="2024-03-04"/>';
      expect(variant(start, '<ns2:Starttidspunkt V="2024-03-04T08:00:00"/>').dosages[0]?.timing?.repeat?.boundsPeriod).toEqual({ start: '2024-03-04' });
      expect(variant(start, '<ns2:Starttidspunkt V="2024-03-04T08:00:00+01:00"/>').dosages[0]?.timing?.repeat?.boundsPeriod).toEqual({ start: '2024-03-04T08:00:00+01:00' });
      const bare = variant(start, '<ns2:Starttidspunkt V="08:00:00"/>');
      expect(bare.dosages[0]?.timing?.repeat).not.toHaveProperty('boundsPeriod');
      expect(baseFhirErrors(bare.r.bundle)).toEqual([]);
      expect(bare.r.report.issue).toContainEqual(expect.objectContaining({ location: [expect.stringMatching(/fs:Starttidspunkt$/)], severity: 'warning' }));
    });

    it('keeps "ved behov" (Bruk 3) when there is no other dosage information', () => {
      const m1 = fixture('m1-virkestoff-dnummer.xml');
      const text = m1.slice(m1.indexOf('<fs:DosVeiledEnkel>'), m1.indexOf('</fs:DosVeiledEnkel>') + '</fs:DosVeiledEnkel>'.length);
      const r = convertM1ToEuPrescription(readM1OrThrow(m1.replace(text, '<fs:Bruk V="3" DN="Ved behov"/>'), { allowSyntheticIdentities: true }), { now: NOW });
      expect(resource<MedicationRequest>(r.bundle, 'MedicationRequest').dosageInstruction).toEqual([expect.objectContaining({ asNeededBoolean: true })]);
    });
  });

  it('names a brand by its Varenavn as product name, once, with NavnFormStyrke as the code text', () => {
    const med = resource<Medication>(convert('m1-merkevare-kortdose.xml').bundle, 'Medication');
    expect(med.extension?.filter((e) => e.url === EXTENSION.productName)).toEqual([{ url: EXTENSION.productName, valueString: 'Lipitor' }]);
    expect(med.code?.text).toBe('Lipitor Tab 20 mg');
  });

  it('is deterministic: the same M1 gives the same Bundle', () => {
    expect(convert('m1-magistrell.xml').bundle).toEqual(convert('m1-magistrell.xml').bundle);
  });
});
