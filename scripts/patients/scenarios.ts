/**
 * The named test patients, written by hand as data: each covers one situation the patient summary must
 * handle (test-data/patients/README.md lists what each covers). The builders in
 * packages/core/src/test-support/patient-generator.ts turn them into the five sources' files.
 *
 * Identities: synthetic numbers with sequence ≥ GENERATED_SEQUENCE_LIMIT, so none is shared with a
 * generated patient.
 */
import type { EpisodeSpec, PatientSpec } from '../../packages/core/src/test-support/patient-generator.js';
import { GENERATED_SEQUENCE_LIMIT } from '../../packages/core/src/test-support/patient-generator.js';
import { HOSPITALS, MUNICIPAL_ACUTE_UNIT, PRIMARY_CARE } from '../../packages/core/src/test-support/patient-generator-data.js';

const [FJORDBY_SYKEHUS, NORDVIK_SYKEHUS, SORDAL_UNN] = HOSPITALS as [typeof HOSPITALS[0], typeof HOSPITALS[0], typeof HOSPITALS[0]];
const [FJORDBY_LEGESENTER, NORDVIK_LEGEKONTOR, , LEGEVAKT] = PRIMARY_CARE as [typeof PRIMARY_CARE[0], typeof PRIMARY_CARE[0], typeof PRIMARY_CARE[0], typeof PRIMARY_CARE[0]];

const seq = (n: number) => GENERATED_SEQUENCE_LIMIT + n;

/** GP contacts with one ICPC-2 diagnosis of a disease on the given dates. */
function gpContacts(disease: string, dates: readonly string[], institution = FJORDBY_LEGESENTER): EpisodeSpec[] {
  return dates.map((start) => ({ institution, start, diagnoses: [{ disease, primary: true }] }));
}

/** Outpatient controls in hospital with the disease as main diagnosis. */
function hospitalControls(disease: string, dates: readonly string[], institution = FJORDBY_SYKEHUS): EpisodeSpec[] {
  return dates.map((start) => ({ institution, start, end: start, diagnoses: [{ disease, primary: true }] }));
}

/** The named scenarios, in the order the README lists them. */
export const SCENARIOS: readonly PatientSpec[] = [
  {
    slug: 'multimorbid-elderly-rich-history',
    person: { given: 'Arne', family: 'Bakken', sex: 'male', birthDate: '1941-04-17', sequence: seq(0), municipality: 0, street: 'Testveien 7' },
    allergies: [
      { allergen: 'penicillin', reactions: ['anafylaksi'], criticality: 'high', verification: 'confirmed', recorded: '2015-02-11', note: 'Anafylaksi etter penicillin i 1988.' },
      { allergen: 'kontrast', reactions: ['hudreaksjon'], criticality: 'low', verification: 'presumed', recorded: '2019-09-03' },
      { allergen: 'propofol', reactions: ['blodtrykksfall'], criticality: 'high', verification: 'confirmed', recorded: '2016-03-08', note: 'Uttalt blodtrykksfall under anestesi.' },
    ],
    devices: [
      { device: 'koronarstent', implanted: '2012-06-20', status: 'active' },
      { device: 'hofteprotese', implanted: '2016-03-08', status: 'active' },
    ],
    pll: [
      { drug: 'metformin', start: '2026-02-10', renewedFrom: ['2023-02-14', '2024-02-12', '2025-02-11'], reason: 'diabetes-2' },
      { drug: 'empagliflozin', start: '2026-02-10', renewedFrom: ['2025-02-11'], reason: 'diabetes-2' },
      { drug: 'furosemid', start: '2026-04-02', renewedFrom: ['2024-04-05', '2025-04-03'], reason: 'hjertesvikt' },
      { drug: 'metoprolol', start: '2026-04-02', reason: 'hjertesvikt' },
      { drug: 'sakubitril-valsartan', start: '2025-11-20', reason: 'hjertesvikt' },
      { drug: 'apiksaban', start: '2026-05-15', renewedFrom: ['2024-05-20', '2025-05-16'], reason: 'atrieflimmer' },
      { drug: 'atorvastatin', start: '2026-01-08', reason: 'hjerteinfarkt' },
      { drug: 'tiotropium', start: '2026-03-01', reason: 'kols' },
      { drug: 'salbutamol', start: '2026-03-01', reason: 'kols' },
      { drug: 'paracetamol', start: '2025-12-01', reason: 'hofteartrose' },
      { drug: 'fenoksymetylpenicillin', start: '2023-01-10', end: '2023-01-17', reason: 'pneumoni' },
    ],
    npr: [
      { institution: FJORDBY_SYKEHUS, start: '2012-06-18', end: '2012-06-24', diagnoses: [{ disease: 'hjerteinfarkt', primary: true }, { disease: 'hypertensjon' }], procedures: [{ procedure: 'pci', date: '2012-06-20' }] },
      ...hospitalControls('diabetes-2', ['2013-05-02', '2017-10-12', '2021-03-18']),
      { institution: SORDAL_UNN, start: '2016-03-07', end: '2016-03-12', diagnoses: [{ disease: 'hofteartrose', primary: true }], procedures: [{ procedure: 'hofteprotese', date: '2016-03-08' }] },
      { institution: FJORDBY_SYKEHUS, start: '2019-09-02', end: '2019-09-02', diagnoses: [{ disease: 'katarakt', primary: true }], procedures: [{ procedure: 'katarakt' }] },
      { institution: FJORDBY_SYKEHUS, start: '2020-11-23', end: '2020-11-29', diagnoses: [{ disease: 'hjertesvikt', primary: true }, { disease: 'atrieflimmer' }, { disease: 'diabetes-2' }] },
      ...hospitalControls('hjertesvikt', ['2021-06-14', '2022-06-20', '2024-06-03']),
      { institution: FJORDBY_SYKEHUS, start: '2023-01-08', end: '2023-01-13', diagnoses: [{ disease: 'pneumoni', primary: true }, { disease: 'kols' }] },
    ],
    kpr: [
      ...gpContacts('hypertensjon', ['2008-03-11', '2010-09-21', '2014-01-09']),
      ...gpContacts('diabetes-2', ['2011-02-01', '2013-08-20', '2016-11-15', '2019-05-07', '2022-10-04', '2025-09-16']),
      ...gpContacts('kols', ['2018-02-27', '2024-01-23']),
      ...gpContacts('hjertesvikt', ['2021-01-12', '2025-03-18']),
      { institution: LEGEVAKT, start: '2023-01-07', diagnoses: [{ disease: 'pneumoni', primary: true }] },
    ],
  },
  {
    slug: 'nobody-knows-anything',
    person: { given: 'Sigrid', family: 'Moen', sex: 'female', birthDate: '1988-08-30', sequence: seq(1), municipality: 2, street: 'Elvegata 3' },
  },
  {
    slug: 'primary-care-only',
    person: { given: 'Jan', family: 'Strand', sex: 'male', birthDate: '1969-01-22', sequence: seq(2), municipality: 3, street: 'Sjøgata 40' },
    pll: [{ drug: 'amlodipin', start: '2026-03-03', renewedFrom: ['2025-03-04'], reason: 'hypertensjon' }],
    kpr: [
      ...gpContacts('hypertensjon', ['2024-02-06', '2024-05-14', '2025-03-04', '2026-03-03'], NORDVIK_LEGEKONTOR),
      ...gpContacts('ryggsmerter', ['2022-10-10', '2022-10-24'], NORDVIK_LEGEKONTOR),
      { institution: LEGEVAKT, start: '2025-12-27', diagnoses: [{ disease: 'ovre-luftveisinfeksjon', primary: true }] },
    ],
  },
  {
    slug: 'same-diagnosis-npr-kpr-repeated',
    person: { given: 'Randi', family: 'Haugen', sex: 'female', birthDate: '1958-12-02', sequence: seq(3), municipality: 1, street: 'Fjordgaten 15' },
    pll: [
      { drug: 'metformin', start: '2026-06-01', renewedFrom: ['2025-06-02'], reason: 'diabetes-2' },
      { drug: 'losartan', start: '2026-06-01', reason: 'hypertensjon' },
    ],
    npr: [
      ...hospitalControls('diabetes-2', ['2018-04-10', '2019-04-23', '2020-05-05', '2022-04-26'], NORDVIK_SYKEHUS),
      { institution: NORDVIK_SYKEHUS, start: '2024-05-14', end: '2024-05-14', diagnoses: [{ disease: 'diabetes-2', primary: true }, { disease: 'hypertensjon' }] },
    ],
    kpr: [
      ...gpContacts('diabetes-2', ['2017-11-02', '2018-03-15', '2019-01-10', '2020-02-20', '2021-06-08', '2022-09-13', '2024-01-30', '2025-10-21']),
      ...gpContacts('hypertensjon', ['2019-01-10', '2022-09-13', '2025-10-21']),
    ],
  },
  {
    slug: 'pacemaker-and-kidney-transplant',
    person: { given: 'Knut', family: 'Dahl', sex: 'male', birthDate: '1952-07-09', sequence: seq(4), municipality: 4, street: 'Strandgata 21' },
    kjConditions: [{ kind: 'transplant', condition: 'nyre', recorded: '2018-11-05', onset: '2018-10-22' }],
    devices: [{ device: 'pacemaker', implanted: '2021-02-16', status: 'active' }],
    pll: [
      { drug: 'takrolimus', start: '2026-01-20', renewedFrom: ['2024-01-22', '2025-01-21'], reason: 'kronisk-nyresykdom' },
      { drug: 'mykofenolat', start: '2026-01-20', reason: 'kronisk-nyresykdom' },
      { drug: 'prednisolon', start: '2026-01-20', reason: 'kronisk-nyresykdom' },
      { drug: 'amlodipin', start: '2025-12-10', reason: 'hypertensjon' },
    ],
    npr: [
      ...hospitalControls('kronisk-nyresykdom', ['2016-09-12', '2017-09-04'], SORDAL_UNN),
      { institution: SORDAL_UNN, start: '2017-10-02', end: '2018-10-19', diagnoses: [{ disease: 'kronisk-nyresykdom', primary: true }], procedures: [{ procedure: 'hemodialyse', date: '2017-10-02' }] },
      { institution: SORDAL_UNN, start: '2018-10-22', end: '2018-11-02', diagnoses: [{ disease: 'kronisk-nyresykdom', primary: true }], procedures: [{ procedure: 'nyretransplantasjon', date: '2018-10-22' }] },
      { institution: FJORDBY_SYKEHUS, start: '2021-02-15', end: '2021-02-18', diagnoses: [{ disease: 'av-blokk', primary: true }], procedures: [{ procedure: 'pacemaker', date: '2021-02-16' }] },
    ],
    kpr: [
      ...gpContacts('hypertensjon', ['2015-04-14', '2019-06-11', '2023-06-13']),
      ...gpContacts('kronisk-nyresykdom', ['2016-08-30', '2020-01-14']),
    ],
  },
  {
    slug: 'bleeding-disorder-haemophilia',
    person: { given: 'Emil', family: 'Berg', sex: 'male', birthDate: '2002-03-19', sequence: seq(5), municipality: 5, street: 'Polarveien 9' },
    kjConditions: [{ kind: 'critical', condition: 'hemofili-a', recorded: '2014-06-02', onset: '2003-01-15' }],
    pll: [{ drug: 'faktor-viii', start: '2026-02-02', renewedFrom: ['2025-02-03'], reason: 'hemofili-a' }],
    npr: [
      ...hospitalControls('hemofili-a', ['2019-03-05', '2021-03-09', '2023-03-14', '2025-03-11'], SORDAL_UNN),
      { institution: SORDAL_UNN, start: '2022-08-14', end: '2022-08-17', diagnoses: [{ disease: 'hemofili-a', primary: true }], procedures: [{ procedure: 'transfusjon' }] },
    ],
    kpr: gpContacts('hemofili-a', ['2020-05-12', '2024-05-21']),
  },
  {
    slug: 'refuted-and-confirmed-allergy',
    person: { given: 'Ingrid', family: 'Lie', sex: 'female', birthDate: '1975-10-05', sequence: seq(6), municipality: 0, street: 'Prøvestien 4' },
    allergies: [
      { allergen: 'penicillin', reactions: ['hudreaksjon'], criticality: 'low', verification: 'refuted', recorded: '2021-04-19', note: 'Avkreftet etter provokasjonstest.' },
      { allergen: 'nsaid', reactions: ['angioodem', 'tungPust'], criticality: 'high', verification: 'confirmed', recorded: '2017-08-22' },
      { allergen: 'peanott', reactions: ['anafylaksi'], criticality: 'high', verification: 'confirmed', recorded: '2012-05-03' },
    ],
    kpr: gpContacts('urinveisinfeksjon', ['2021-03-30']),
  },
  {
    slug: 'pll-renewal-chain',
    person: { given: 'Marit', family: 'Solberg', sex: 'female', birthDate: '1964-06-25', sequence: seq(7), municipality: 2, street: 'Nidarosveien 55' },
    pll: [
      { drug: 'levotyroksin', start: '2026-03-12', renewedFrom: ['2022-03-15', '2023-03-14', '2024-03-12', '2025-03-11'], reason: 'hypotyreose' },
      { drug: 'escitalopram', start: '2026-08-20', renewedFrom: ['2025-08-21'], reason: 'depresjon' },
      { drug: 'pivmecillinam', start: '2026-05-04', end: '2026-05-09', reason: 'urinveisinfeksjon' },
    ],
    kpr: [
      ...gpContacts('hypotyreose', ['2022-03-15', '2024-03-12']),
      ...gpContacts('depresjon', ['2025-08-21', '2025-10-02', '2026-08-20']),
      ...gpContacts('urinveisinfeksjon', ['2026-05-04']),
    ],
  },
  {
    slug: 'd-number-seasonal-worker',
    person: { given: 'Tomas', family: 'Kazlauskas', sex: 'male', birthDate: '1990-02-07', kind: 'dnr', sequence: seq(8), municipality: 3, street: 'Nordlysveien 12' },
    prescriptions: [{ drug: 'ibuprofen', written: '2026-10-06', reiterasjon: 1, prescriber: 1 }],
    kpr: [
      { institution: LEGEVAKT, start: '2025-07-14', diagnoses: [{ disease: 'ryggsmerter', primary: true }] },
      ...gpContacts('ryggsmerter', ['2026-10-06'], NORDVIK_LEGEKONTOR),
    ],
  },
  {
    slug: 'child-under-ten',
    person: { given: 'Ella', family: 'Nilsen', sex: 'female', birthDate: '2019-05-14', sequence: seq(9), municipality: 1, street: 'Bryggeveien 8' },
    allergies: [{ allergen: 'egg', reactions: ['hudreaksjon', 'mageTarm'], criticality: 'low', verification: 'confirmed', recorded: '2020-03-02', type: 'allergy' }],
    pll: [
      { drug: 'hydrokortison-krem', start: '2026-04-15', reason: 'eksem' },
      { drug: 'paracetamol-mikstur', start: '2026-09-01', reason: 'otitt' },
      { drug: 'amoksicillin-mikstur', start: '2025-11-03', end: '2025-11-08', reason: 'otitt' },
    ],
    npr: [{ institution: FJORDBY_SYKEHUS, start: '2024-02-20', end: '2024-02-20', diagnoses: [{ disease: 'otitt', primary: true }], procedures: [{ procedure: 'dren-trommehinne' }] }],
    kpr: [
      ...gpContacts('otitt', ['2023-01-09', '2023-10-16', '2025-11-03']),
      ...gpContacts('eksem', ['2020-02-24', '2026-04-15']),
    ],
  },
  {
    slug: 'no-pll-reseptformidleren-only',
    person: { given: 'Odd', family: 'Eriksen', sex: 'male', birthDate: '1957-09-12', sequence: seq(10), municipality: 4, street: 'Kvadraturen 2' },
    prescriptions: [
      { drug: 'amlodipin', written: '2026-09-15', reiterasjon: 3, prescriber: 2 },
      { drug: 'atorvastatin', written: '2026-09-15', reiterasjon: 3, prescriber: 2 },
      { drug: 'salbutamol', written: '2026-07-28', reiterasjon: 1, prescriber: 2 },
    ],
    kpr: [
      ...gpContacts('hypertensjon', ['2023-09-19', '2026-09-15']),
      ...gpContacts('hyperlipidemi', ['2023-09-19']),
      ...gpContacts('astma', ['2026-07-28']),
    ],
  },
  {
    slug: 'entered-in-error-allergy',
    person: { given: 'Nora', family: 'Pedersen', sex: 'female', birthDate: '1996-12-24', sequence: seq(11), municipality: 5, street: 'Ishavsgata 30' },
    allergies: [
      { allergen: 'kodein', reactions: ['mageTarm'], criticality: 'low', verification: 'entered-in-error', recorded: '2023-11-07', note: 'Registrert på feil pasient.' },
      { allergen: 'lateks', reactions: ['hudreaksjon'], criticality: 'low', verification: 'confirmed', recorded: '2022-01-18' },
    ],
    kpr: [...gpContacts('migrene', ['2021-05-03', '2023-11-07']), { institution: MUNICIPAL_ACUTE_UNIT, start: '2024-02-01', end: '2024-02-03', diagnoses: [{ disease: 'pneumoni', system: 'icd10', primary: true }] }],
    pll: [{ drug: 'sumatriptan', start: '2026-05-02', reason: 'migrene' }],
  },
  {
    slug: 'explanted-device-completed',
    person: { given: 'Bjørn', family: 'Karlsen', sex: 'male', birthDate: '1948-11-28', sequence: seq(12), municipality: 0, street: 'Syntetgata 11' },
    devices: [
      { device: 'pacemaker', implanted: '2010-05-04', status: 'completed', recorded: '2020-09-15' },
      { device: 'icd', implanted: '2020-09-15', status: 'active' },
      { device: 'hofteprotese', implanted: '2018-01-10', status: 'entered-in-error', recorded: '2018-01-12' },
    ],
    pll: [{ drug: 'metoprolol', start: '2026-01-05', renewedFrom: ['2025-01-06'], reason: 'hjertesvikt' }],
    npr: [
      { institution: FJORDBY_SYKEHUS, start: '2010-05-03', end: '2010-05-06', diagnoses: [{ disease: 'av-blokk', primary: true }], procedures: [{ procedure: 'pacemaker', date: '2010-05-04' }] },
      { institution: SORDAL_UNN, start: '2020-09-14', end: '2020-09-19', diagnoses: [{ disease: 'hjertesvikt', primary: true }, { disease: 'av-blokk' }], procedures: [{ procedure: 'pacemaker-fjerning', date: '2020-09-15' }, { procedure: 'icd', date: '2020-09-15' }] },
    ],
    kpr: gpContacts('hjertesvikt', ['2020-10-13', '2023-04-18']),
  },
  {
    slug: 'no-known-allergies-statement',
    person: { given: 'Sigrid', family: 'Haugen', sex: 'female', birthDate: '1983-02-17', sequence: seq(13), municipality: 2, street: 'Testbakken 7' },
    allergies: [{ allergen: 'ingen-kjente-allergier', reactions: [], criticality: 'low', verification: 'confirmed', recorded: '2024-06-03', note: 'Pasienten opplyser ingen kjente allergier; kartlagt før operasjon.' }],
    kpr: gpContacts('hypertensjon', ['2024-06-03']),
  },
];
