import { IDENTIFIER_SYSTEM, KODEVERK, kodeverkOid } from '../../terminology/oids.js';
import { validateRegisterData } from './register-data-validation.js';
import schema from './register-record.schema.json' with { type: 'json' };

const ICD10 = kodeverkOid(KODEVERK.icd10);
const ICPC2 = kodeverkOid(KODEVERK.icpc2);
const NCSP = kodeverkOid(KODEVERK.ncspN);
const PATIENT = { system: IDENTIFIER_SYSTEM.fnr, value: '17844111940' };

function npr(): Record<string, unknown> {
  return {
    register: 'NPR',
    patient: PATIENT,
    episodeId: 'npr-1',
    institution: { enh: '991000011', resh: '4201001', name: 'Fjordby sykehus' },
    start: '2021-03-02',
    end: '2021-03-05',
    diagnoses: [{ system: ICD10, code: 'K35.8', text: 'Annen og uspesifisert akutt appendisitt', primary: true }],
    procedures: [{ system: NCSP, code: 'JEA01', text: 'Laparoskopisk appendektomi', date: '2021-03-02T14:05:00+01:00' }],
  };
}

function kpr(): Record<string, unknown> {
  return {
    register: 'KPR',
    patient: PATIENT,
    episodeId: 'kpr-1',
    institution: { enh: '991000022' },
    start: '2022-01-10',
    diagnoses: [{ system: ICPC2, code: 'T90', text: 'Diabetes type 2' }],
    procedures: [],
  };
}

/** The issues for a body, or a failure when it validates. */
function issues(body: unknown): { path: string; message: string }[] {
  const r = validateRegisterData(body);
  if (r.ok) throw new Error('expected the body to be refused');
  return r.issues;
}

describe('validateRegisterData', () => {
  it('accepts NPR and KPR records, an empty list, and KPR records with ICD-10 (municipal services)', () => {
    const kprIcd = { ...kpr(), episodeId: 'kpr-2', diagnoses: [{ system: ICD10, code: 'J18.9' }] };
    const r = validateRegisterData({ records: [npr(), kpr(), kprIcd] });
    expect(r.ok).toBe(true);
    expect(r.ok && r.data.records).toHaveLength(3);
    expect(validateRegisterData({ records: [] }).ok).toBe(true);
  });

  it('names a missing field by its path', () => {
    const record = npr();
    delete record.start;
    expect(issues({ records: [record] })).toEqual([{ path: '/records/0/start', message: 'is required' }]);
    expect(issues({})).toEqual([{ path: '/records', message: 'is required' }]);
  });

  it('requires the patient of every record, as fødselsnummer or D-nummer, never quoting the number', () => {
    const anonymous = npr();
    delete anonymous.patient;
    expect(issues({ records: [anonymous] })).toEqual([{ path: '/records/0/patient', message: 'is required' }]);
    expect(validateRegisterData({ records: [{ ...npr(), patient: { system: IDENTIFIER_SYSTEM.dnr, value: '47829013904' } }] }).ok).toBe(true);
    expect(issues({ records: [{ ...npr(), patient: { system: IDENTIFIER_SYSTEM.hpr, value: '17844111940' } }] })[0]?.path).toBe('/records/0/patient/system');
    const short = issues({ records: [{ ...npr(), patient: { ...PATIENT, value: '1784411194' } }] });
    expect(short).toEqual([{ path: '/records/0/patient/value', message: 'the person number does not match 11 digits' }]);
    expect(issues({ records: [{ ...npr(), patient: { ...PATIENT, name: 'Arne' } }] })[0]?.path).toBe('/records/0/patient/name');
  });

  it('refuses fields that are not part of the shape', () => {
    expect(issues({ records: [{ ...npr(), ward: 'B3' }] })).toEqual([{ path: '/records/0/ward', message: expect.stringContaining('not part') }]);
    expect(issues({ records: [], extra: 1 })[0]?.path).toBe('/extra');
  });

  it('refuses an unknown register, a wrong type and a bad date', () => {
    expect(issues({ records: [{ ...npr(), register: 'KUHR' }] })).toContainEqual({ path: '/records/0/register', message: 'must be one of "NPR", "KPR"' });
    expect(issues({ records: [{ ...npr(), episodeId: 17 }] })[0]?.path).toBe('/records/0/episodeId');
    expect(issues({ records: [{ ...npr(), start: '2021-02-30' }] })).toEqual([{ path: '/records/0/start', message: 'must be a date (YYYY-MM-DD)' }]);
    expect(issues({ records: [{ ...npr(), end: '05.03.2021' }] })[0]?.path).toBe('/records/0/end');
    const badProcedureDate = { ...npr(), procedures: [{ system: NCSP, code: 'JEA01', date: 'yesterday' }] };
    expect(issues({ records: [badProcedureDate] })).toEqual([{ path: '/records/0/procedures/0/date', message: 'must be a date (YYYY-MM-DD) or a date-time' }]);
  });

  it('refuses code systems outside the register rules', () => {
    const icpcInNpr = { ...npr(), diagnoses: [{ system: ICPC2, code: 'D88' }] };
    expect(issues({ records: [icpcInNpr] })).toEqual([{ path: '/records/0/diagnoses/0/system', message: expect.stringContaining('ICD-10 only') }]);
    const atcDiagnosis = { ...kpr(), diagnoses: [{ system: kodeverkOid(KODEVERK.atc), code: 'A10BA02' }] };
    expect(issues({ records: [atcDiagnosis] })[0]?.path).toBe('/records/0/diagnoses/0/system');
    const icdProcedure = { ...npr(), procedures: [{ system: ICD10, code: 'JEA01' }] };
    expect(issues({ records: [icdProcedure] })[0]?.path).toBe('/records/0/procedures/0/system');
  });

  it('refuses codes that do not look like the code system', () => {
    const icpcAsIcd = { ...npr(), diagnoses: [{ system: ICD10, code: 'e11' }] };
    expect(issues({ records: [icpcAsIcd] })).toEqual([{ path: '/records/0/diagnoses/0/code', message: expect.stringContaining('ICD-10 code') }]);
    const longIcpc = { ...kpr(), diagnoses: [{ system: ICPC2, code: 'T90.1' }] };
    expect(issues({ records: [longIcpc] })[0]?.path).toBe('/records/0/diagnoses/0/code');
  });

  it('checks the rules a schema cannot say: end after start, one main diagnosis, unique episode ids', () => {
    expect(issues({ records: [{ ...npr(), end: '2021-03-01' }] })).toEqual([{ path: '/records/0/end', message: expect.stringContaining('before it starts') }]);
    const twoMain = { ...npr(), diagnoses: [{ system: ICD10, code: 'E11.9', primary: true }, { system: ICD10, code: 'I10', primary: true }] };
    expect(issues({ records: [twoMain] })[0]?.path).toBe('/records/0/diagnoses');
    expect(issues({ records: [npr(), npr()] })).toEqual([{ path: '/records/1/episodeId', message: expect.stringContaining('/records/0') }]);
  });

  it('refuses a body that is not an object', () => {
    expect(issues(null)[0]?.path).toBe('');
    expect(issues([npr()])[0]?.path).toBe('');
  });

  it('keeps the schema enums equal to the project OID constants', () => {
    const defs = schema.definitions;
    expect(defs.diagnosis.properties.system.enum).toEqual([ICD10, ICPC2]);
    expect(defs.oidIcd10.const).toBe(ICD10);
    expect(defs.record.then.properties.diagnoses.items.properties.system.const).toBe(ICD10);
    expect(defs.oidIcpc2.const).toBe(ICPC2);
    expect(defs.patient.properties.system.enum).toEqual([IDENTIFIER_SYSTEM.fnr, IDENTIFIER_SYSTEM.dnr]);
    expect(defs.procedure.properties.system.enum).toEqual([KODEVERK.ncspN, KODEVERK.ncmp, KODEVERK.ncrp, KODEVERK.klinisk_prosedyrekodeverk].map(kodeverkOid));
  });
});
