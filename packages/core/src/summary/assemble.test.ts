import type { AllergyIntolerance, Bundle, Composition, Condition, DeviceUseStatement, Flag, Provenance } from '@medplum/fhirtypes';
import { syntheticPersonNumber } from '../identity/person-number.js';
import { SYSTEM, volvenSystem } from '../terminology/fhir-systems.js';
import { IDENTIFIER_SYSTEM, KODEVERK, kodeverkOid } from '../terminology/oids.js';
import { assembleSummary } from './assemble.js';
import { renderSummary } from './narrative.js';
import { provenanceRecords } from './provenance.js';
import { KJ_CATEGORY, KNOWN_ABSENCE, SUMMARY_EXTENSION } from './summary-codes.js';
import type { SummaryPatient } from './summary-model.js';
import type { RegisterRecord } from './sources/register-record.js';
import type { SourceDataMap, SourceName, SourceOutcome, SourceOutcomes } from './sources/source-data.js';

const FNR = syntheticPersonNumber({ birthDate: '1950-04-03', sex: 'female' });
const patient: SummaryPatient = { id: '7f1d3c2a-0000-4000-8000-000000000001', key: { system: IDENTIFIER_SYSTEM.fnr, value: FNR } };
const NOW = new Date('2026-11-20T10:00:00Z');
const FETCHED = '2026-11-20T09:59:59.000Z';
const ICD10 = kodeverkOid(KODEVERK.icd10);
const ICPC2 = kodeverkOid(KODEVERK.icpc2);
const NCSP = kodeverkOid(KODEVERK.ncspN);

const kjPatient = { resourceType: 'Patient' as const, identifier: [{ system: IDENTIFIER_SYSTEM.fnr, value: FNR }], name: [{ family: 'Testesen', given: ['Kari'] }], gender: 'female' as const, birthDate: '1950-04-03' };

const allergy = (id: string, verification: string, code: AllergyIntolerance['code'] = { coding: [{ system: SYSTEM.atc, code: 'J01CE02', display: 'Fenoksymetylpenicillin' }] }): AllergyIntolerance => ({
  resourceType: 'AllergyIntolerance', id, patient: { reference: 'Patient/kj' }, code, criticality: 'high',
  verificationStatus: { coding: [{ system: SYSTEM.allergyVerification, code: verification }] }, recordedDate: '2020-01-01',
});

const bleeding: Condition = {
  resourceType: 'Condition', id: 'c5', subject: { reference: 'Patient/kj' },
  category: [{ coding: [{ system: KJ_CATEGORY.system, code: KJ_CATEGORY.criticalCondition }] }],
  code: { coding: [{ system: SYSTEM.icd10no, code: 'D66', display: 'Hemofili A' }], text: 'Hemofili A' }, onsetDateTime: '1960-01-01',
};

const pacemaker: DeviceUseStatement = {
  resourceType: 'DeviceUseStatement', id: 'd1', status: 'active', subject: { reference: 'Patient/kj' }, timingDateTime: '2019-05-02',
  device: { reference: '#dev' }, contained: [{ resourceType: 'Device', id: 'dev', type: { text: 'Pacemaker' } }],
};

const episode = (register: 'NPR' | 'KPR', id: string, start: string, diagnoses: RegisterRecord['diagnoses'], procedures: RegisterRecord['procedures'] = []): RegisterRecord => ({
  register, patient: patient.key, episodeId: id, institution: { enh: '974589095', name: 'Testsykehuset' }, start, diagnoses, procedures,
});

const fresh = <N extends SourceName>(source: N, data: SourceDataMap[N]): SourceOutcome<N> => ({ status: 'fresh', snapshot: { source, fetchedAt: FETCHED, data } });

function outcomes(over: Partial<SourceOutcomes> = {}): SourceOutcomes {
  return {
    kjernejournal: fresh('kjernejournal', { patient: kjPatient, resources: [allergy('a1', 'confirmed'), allergy('a2', 'refuted'), bleeding, pacemaker] }),
    pll: fresh('pll', {}),
    reseptformidleren: fresh('reseptformidleren', { prescriptions: [] }),
    npr: fresh('npr', { records: [
      episode('NPR', 'n1', '2019-03-01', [{ system: ICD10, code: 'E11', text: 'Diabetes mellitus type 2', primary: true }], [{ system: NCSP, code: 'FPE26', text: 'Innsetting av pacemaker', date: '2019-05-02' }]),
      episode('NPR', 'n2', '2025-06-01', [{ system: ICD10, code: 'E11', text: 'Diabetes mellitus type 2' }]),
    ] }),
    kpr: fresh('kpr', { records: [
      episode('KPR', 'k1', '2018-01-10', [{ system: ICPC2, code: 'T90', text: 'Diabetes type 2' }]),
      episode('KPR', 'k2', '2026-02-10', [{ system: ICPC2, code: 'T90', text: 'Diabetes type 2' }]),
    ] }),
    ...over,
  };
}

function composition(bundle: Bundle): Composition {
  return bundle.entry?.[0]?.resource as Composition;
}

function section(bundle: Bundle, loinc: string) {
  const s = composition(bundle).section?.find((x) => x.code?.coding?.[0]?.code === loinc);
  if (!s) throw new Error(`no section ${loinc}`);
  return s;
}

function resolve<T>(bundle: Bundle, ref: string | undefined): T {
  return bundle.entry?.find((e) => e.fullUrl === ref)?.resource as T;
}

describe('assembleSummary', () => {
  it('makes a document with the Composition first, one Patient, and the six sections in order', () => {
    const { bundle } = assembleSummary({ patient, outcomes: outcomes(), now: NOW });
    expect(bundle.type).toBe('document');
    expect(bundle.entry?.[0]?.resource?.resourceType).toBe('Composition');
    expect(bundle.entry?.filter((e) => e.resource?.resourceType === 'Patient')).toHaveLength(1);
    expect(composition(bundle).section?.map((s) => s.code?.coding?.[0]?.code)).toEqual(['46264-8', '104605-1', '48765-2', '10160-0', '11450-4', '47519-4']);
    expect(bundle.entry?.every((e) => e.fullUrl?.startsWith('urn:uuid:'))).toBe(true);
  });

  it('resolves every reference inside the Bundle', () => {
    const { bundle } = assembleSummary({ patient, outcomes: outcomes(), now: NOW });
    const urls = new Set(bundle.entry?.map((e) => e.fullUrl));
    const refs = JSON.stringify(bundle).match(/"reference":"([^"]+)"/g) ?? [];
    for (const r of refs) {
      const target = r.slice('"reference":"'.length, -1);
      expect(urls.has(target)).toBe(true);
    }
    expect(refs.length).toBeGreaterThan(10);
  });

  it('leaves out a refuted allergy and keeps the confirmed one', () => {
    const { bundle } = assembleSummary({ patient, outcomes: outcomes(), now: NOW });
    const entries = section(bundle, '48765-2').entry ?? [];
    expect(entries).toHaveLength(1);
    expect(resolve<AllergyIntolerance>(bundle, entries[0]?.reference).verificationStatus?.coding?.[0]?.code).toBe('confirmed');
  });

  it('makes an alert Flag that points at the critical condition', () => {
    const { bundle } = assembleSummary({ patient, outcomes: outcomes(), now: NOW });
    const flag = resolve<Flag>(bundle, section(bundle, '104605-1').entry?.[0]?.reference);
    expect(flag.status).toBe('active');
    const about = resolve<Condition>(bundle, flag.extension?.find((e) => e.url === SUMMARY_EXTENSION.flagDetail)?.valueReference?.reference);
    expect(about.code?.text).toBe('Hemofili A');
  });

  it('takes the contained Device out as an entry of its own', () => {
    const { bundle } = assembleSummary({ patient, outcomes: outcomes(), now: NOW });
    const use = resolve<DeviceUseStatement>(bundle, section(bundle, '46264-8').entry?.[0]?.reference);
    expect(use.contained).toBeUndefined();
    expect(resolve<{ type?: { text?: string } }>(bundle, use.device?.reference).type?.text).toBe('Pacemaker');
  });

  it('collapses the same diagnosis from NPR and KPR into one problem with first/last seen and all records', () => {
    const { bundle } = assembleSummary({ patient, outcomes: outcomes(), now: NOW });
    const problems = section(bundle, '11450-4').entry ?? [];
    expect(problems).toHaveLength(1);
    const ref = problems[0]?.reference;
    const condition = resolve<Condition>(bundle, ref);
    expect(condition.code?.coding?.map((c) => c.code)).toEqual(['E11', 'T90']);
    expect(condition.onsetDateTime).toBe('2018-01-10');
    expect(condition.recordedDate).toBe('2026-02-10');
    expect(condition.clinicalStatus?.coding?.[0]?.code).toBe('active');
    expect(condition.clinicalStatus?.extension?.[0]?.url).toBe(SUMMARY_EXTENSION.derived);
    const provenance = bundle.entry?.map((e) => e.resource).find((r): r is Provenance => r?.resourceType === 'Provenance' && r.target[0]?.reference === ref);
    expect(provenanceRecords(provenance!).map((r) => `${r.source}:${r.id}`).sort()).toEqual(['kpr:KPR/k1', 'kpr:KPR/k2', 'npr:NPR/n1', 'npr:NPR/n2']);
    expect(provenanceRecords(provenance!)[0]?.fetchedAt).toBe(FETCHED);
  });

  it('gives no clinical status to a diagnosis not seen for years, rather than inventing one', () => {
    const { bundle } = assembleSummary({ patient, outcomes: outcomes({ kpr: fresh('kpr', { records: [] }), npr: fresh('npr', { records: [episode('NPR', 'old', '2001-01-01', [{ system: ICD10, code: 'J18', text: 'Pneumoni' }])] }) }), now: NOW });
    const condition = resolve<Condition>(bundle, section(bundle, '11450-4').entry?.[0]?.reference);
    expect(condition.clinicalStatus).toBeUndefined();
  });

  it('keeps the three empty states apart', () => {
    const kjDown: SourceOutcome<'kjernejournal'> = { status: 'unavailable', failure: 'HTTP 503' };
    const down = assembleSummary({ patient, outcomes: outcomes({ kjernejournal: kjDown }), now: NOW }).bundle;
    expect(section(down, '48765-2').emptyReason?.coding?.[0]?.code).toBe('unavailable');
    const nbDown = renderSummary(down, 'nb');
    expect(section(nbDown, '48765-2').text?.div).toContain('Kjernejournal kunne ikke hentes');

    const none = assembleSummary({ patient, outcomes: outcomes({ kjernejournal: fresh('kjernejournal', { patient: kjPatient, resources: [] }) }), now: NOW }).bundle;
    expect(section(none, '48765-2').emptyReason?.coding?.[0]?.code).toBe('nilknown');
    expect(section(renderSummary(none, 'en'), '48765-2').text?.div).toContain('None registered in Kjernejournal');

    const nka = allergy('nka', 'confirmed', { coding: [{ system: SYSTEM.snomed, code: KNOWN_ABSENCE.allergy, display: 'No known allergy' }] });
    const known = assembleSummary({ patient, outcomes: outcomes({ kjernejournal: fresh('kjernejournal', { patient: kjPatient, resources: [nka] }) }), now: NOW }).bundle;
    const s = section(known, '48765-2');
    expect(s.emptyReason).toBeUndefined();
    expect(resolve<AllergyIntolerance>(known, s.entry?.[0]?.reference).code?.coding?.[0]?.code).toBe(KNOWN_ABSENCE.allergy);
  });

  it('notes stale data with its time in the sections it feeds', () => {
    const stale: SourceOutcome<'npr'> = { status: 'stale', failure: 'timed out', snapshot: { source: 'npr', fetchedAt: '2026-11-19T08:00:00.000Z', data: { records: [episode('NPR', 'n1', '2019-03-01', [{ system: ICD10, code: 'E11' }])] } } };
    const { bundle } = assembleSummary({ patient, outcomes: outcomes({ npr: stale }), now: NOW });
    const rendered = renderSummary(bundle, 'nb');
    const notes = section(rendered, '11450-4').extension?.filter((e) => e.url === SUMMARY_EXTENSION.note) ?? [];
    expect(notes[0]?.valueAnnotation?.text).toContain('2026-11-19 08:00');
    expect(notes[0]?.valueAnnotation?.text).toContain('Norsk pasientregister');
  });

  it('has the same content hash for an unchanged rebuild, a new one when content changes', () => {
    const a = assembleSummary({ patient, outcomes: outcomes(), now: NOW });
    const b = assembleSummary({ patient, outcomes: outcomes(), now: new Date('2026-11-21T10:00:00Z') });
    expect(b.contentHash).toBe(a.contentHash);
    const c = assembleSummary({ patient, outcomes: outcomes({ kjernejournal: fresh('kjernejournal', { patient: kjPatient, resources: [allergy('a1', 'confirmed')] }) }), now: NOW });
    expect(c.contentHash).not.toBe(a.contentHash);
  });

  it('renders the narrative in nb and en', () => {
    const { bundle } = assembleSummary({ patient, outcomes: outcomes(), now: NOW });
    expect(composition(renderSummary(bundle, 'nb')).section?.[4]?.title).toBe('Helseproblemer og diagnoser');
    expect(composition(renderSummary(bundle, 'en')).section?.[4]?.title).toBe('Problems');
    expect(composition(renderSummary(bundle, 'en')).language).toBe('en');
    expect(section(renderSummary(bundle, 'en'), '11450-4').text?.div).toContain('derived from register activity');
  });

  it('derives birth date and sex from the number when Kjernejournal is down, and marks the name absent', () => {
    const { bundle } = assembleSummary({ patient, outcomes: outcomes({ kjernejournal: { status: 'unavailable', failure: 'HTTP 500' } }), now: NOW });
    const p = bundle.entry?.find((e) => e.resource?.resourceType === 'Patient')?.resource as { birthDate?: string; gender?: string; name?: unknown[] };
    expect(p.birthDate).toBe('1950-04-03');
    expect(p.gender).toBe('female');
    expect(JSON.stringify(p.name)).toContain('data-absent-reason');
    expect(volvenSystem(7110)).toBe(SYSTEM.icd10no);
  });
});
