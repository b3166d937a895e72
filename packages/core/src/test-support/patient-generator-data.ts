/**
 * The clinical and administrative content the test-patient generator draws from: diseases with their
 * ICD-10 and ICPC-2 codes (Norwegian texts), medicines with ATC, procedures (NCSP/NCMP), allergens,
 * Kjernejournal critical conditions, transplants and implants, institutions, prescribers and names.
 *
 * Codes and texts are chosen to look like the real classifications (ICD-10 and ICPC-2 categories,
 * ATC, Volven 7448/7497) but this is test data, not a code list: the procedure codes in particular are
 * plausible rather than checked against FinnKode. Product names and ATC codes are public catalogue
 * facts; varenumre, organisation numbers, RESH-ids, HER-ids and HPR numbers are invented.
 */

/** A code with its Norwegian display text. */
export interface CodedText {
  readonly code: string;
  readonly text: string;
}

/** How a medicine is used (Volven 9101 Legemiddelbruk): fast, kur or ved behov. */
export type DrugUse = 'fast' | 'kur' | 'behov';

/** A medicine as prescribed: ATC, product, form (Volven 7448), package and a usual dosage text. */
export interface Drug {
  readonly key: string;
  readonly atc: CodedText;
  /** NavnFormStyrke, e.g. `Cipralex Tab 10 mg`. */
  readonly name: string;
  /** Varenavn (brand). */
  readonly brand: string;
  readonly form: CodedText;
  /** Reseptgruppe (Volven 7421). */
  readonly reseptgruppe: 'A' | 'B' | 'C';
  /** Invented 6-digit varenummer. */
  readonly varenr: string;
  readonly packSize: string;
  /** Package unit (Volven 7452). */
  readonly packUnit: CodedText;
  readonly dosage: string;
  readonly use: DrugUse;
  /** Bruksområde as the prescriber writes it. */
  readonly indication: string;
}

/** Where a disease is usually seen: episodes in specialist care (NPR) and contacts in primary care (KPR). */
export interface Disease {
  readonly key: string;
  readonly icd10: CodedText;
  /** The ICPC-2 equivalent a GP would code; absent for diseases seen only in hospital. */
  readonly icpc2?: CodedText;
  readonly chronic: boolean;
  readonly minAge: number;
  readonly maxAge?: number;
  /** Relative frequency among the diseases a patient of the right age can get. */
  readonly weight: number;
  /** Keys into {@link DRUGS}: what it is treated with. */
  readonly drugs: readonly string[];
  /** Keys into {@link PROCEDURES}: what specialist care does for it. */
  readonly procedures?: readonly string[];
  /** Key into {@link DEVICES} when the procedure leaves an implant. */
  readonly device?: string;
  /** Probability that the disease reaches specialist care (NPR) at all. */
  readonly nprShare: number;
}

/** A procedure code: NCSP-N (surgical), NCMP (medical) or NCRP (radiology). */
export interface ProcedureDef extends CodedText {
  readonly key: string;
  readonly classification: 'ncsp' | 'ncmp' | 'ncrp';
}

/** An allergen: a medicine (ATC, 4, 5 or 7 characters, as Kjernejournal allows) or another agent (SNOMED CT). */
export interface Allergen {
  readonly key: string;
  readonly category: 'medication' | 'food' | 'environment';
  readonly system: 'atc' | 'snomed';
  readonly code: string;
  readonly display: string;
  /** What a clinician would write, e.g. `Penicillin`. */
  readonly text: string;
}

/** A Kjernejournal critical medical condition or transplant (ICD-10) with the name clinicians use. */
export interface KjConditionDef {
  readonly key: string;
  readonly icd10: CodedText;
  readonly text: string;
}

/** A mechanical implant or other device (SNOMED CT device type). */
export interface DeviceDef {
  readonly key: string;
  readonly snomed: CodedText;
  /** Norwegian name, as Kjernejournal shows it. */
  readonly text: string;
  /** Key into {@link PROCEDURES} of the operation that put it in. */
  readonly procedure?: string;
}

/** A reporting institution (invented organisation number and RESH-id). */
export interface InstitutionDef {
  readonly name: string;
  readonly enh: string;
  readonly resh?: string;
}

/** A municipality with a postal address for the patient. */
export interface Municipality {
  readonly kommunenr: string;
  readonly name: string;
  readonly postalCode: string;
  readonly city: string;
  readonly streets: readonly string[];
}

/** A prescribing doctor and the practice that sends the M1 (all numbers invented). */
export interface Prescriber {
  readonly given: string;
  readonly family: string;
  readonly hpr: string;
  readonly org: string;
  readonly enh: string;
  readonly her: string;
  readonly street: string;
  readonly postalCode: string;
  readonly city: string;
}

const WEIGHTS_ORGNR = [3, 2, 7, 6, 5, 4, 3, 2] as const;

/**
 * An organisation number (9 digits) from its first eight, with the mod-11 check digit; eight digits whose
 * check digit would be 10 are not valid and throw.
 */
export function organisationNumber(eightDigits: string): string {
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(eightDigits[i]) * (WEIGHTS_ORGNR[i] ?? 0);
  const rest = 11 - (sum % 11);
  const check = rest === 11 ? 0 : rest;
  if (check === 10) throw new RangeError(`${eightDigits} has no valid organisation-number check digit`);
  return `${eightDigits}${check}`;
}

const TABLETT = { code: '53', text: 'Tablett' };
const STK = { code: 'stk', text: 'stykk' };

/** Common medicines in Norwegian primary and specialist care. */
export const DRUGS: readonly Drug[] = [
  { key: 'metformin', atc: { code: 'A10BA02', text: 'Metformin' }, name: 'Glucophage Tab 500 mg', brand: 'Glucophage', form: TABLETT, reseptgruppe: 'C', varenr: '512034', packSize: '100', packUnit: STK, dosage: '1 tablett 2 ganger daglig til måltid', use: 'fast', indication: 'Diabetes type 2' },
  { key: 'empagliflozin', atc: { code: 'A10BK03', text: 'Empagliflozin' }, name: 'Jardiance Tab 10 mg', brand: 'Jardiance', form: TABLETT, reseptgruppe: 'C', varenr: '512157', packSize: '90', packUnit: STK, dosage: '1 tablett daglig', use: 'fast', indication: 'Diabetes type 2' },
  { key: 'insulin-glargin', atc: { code: 'A10AE04', text: 'Insulin glargin' }, name: 'Lantus Inj 100 E/ml', brand: 'Lantus', form: { code: '101', text: 'Injeksjonsvæske' }, reseptgruppe: 'C', varenr: '512268', packSize: '15', packUnit: { code: 'ml', text: 'milliliter' }, dosage: '20 enheter subkutant om kvelden', use: 'fast', indication: 'Diabetes' },
  { key: 'insulin-aspart', atc: { code: 'A10AB05', text: 'Insulin aspart' }, name: 'NovoRapid Inj 100 E/ml', brand: 'NovoRapid', form: { code: '101', text: 'Injeksjonsvæske' }, reseptgruppe: 'C', varenr: '512379', packSize: '15', packUnit: { code: 'ml', text: 'milliliter' }, dosage: 'Etter skjema til måltid', use: 'fast', indication: 'Diabetes type 1' },
  { key: 'amlodipin', atc: { code: 'C08CA01', text: 'Amlodipin' }, name: 'Norvasc Tab 5 mg', brand: 'Norvasc', form: TABLETT, reseptgruppe: 'C', varenr: '513046', packSize: '98', packUnit: STK, dosage: '1 tablett daglig', use: 'fast', indication: 'Høyt blodtrykk' },
  { key: 'losartan', atc: { code: 'C09CA01', text: 'Losartan' }, name: 'Cozaar Tab 50 mg', brand: 'Cozaar', form: TABLETT, reseptgruppe: 'C', varenr: '513157', packSize: '98', packUnit: STK, dosage: '1 tablett daglig', use: 'fast', indication: 'Høyt blodtrykk' },
  { key: 'ramipril', atc: { code: 'C09AA05', text: 'Ramipril' }, name: 'Triatec Tab 5 mg', brand: 'Triatec', form: TABLETT, reseptgruppe: 'C', varenr: '513268', packSize: '100', packUnit: STK, dosage: '1 tablett daglig', use: 'fast', indication: 'Hjertesvikt' },
  { key: 'furosemid', atc: { code: 'C03CA01', text: 'Furosemid' }, name: 'Furix Tab 40 mg', brand: 'Furix', form: TABLETT, reseptgruppe: 'C', varenr: '513379', packSize: '100', packUnit: STK, dosage: '1 tablett om morgenen', use: 'fast', indication: 'Hjertesvikt, væske i kroppen' },
  { key: 'metoprolol', atc: { code: 'C07AB02', text: 'Metoprolol' }, name: 'Selo-Zok Depottab 50 mg', brand: 'Selo-Zok', form: { code: '25', text: 'Depottablett' }, reseptgruppe: 'C', varenr: '513480', packSize: '100', packUnit: STK, dosage: '1 depottablett daglig', use: 'fast', indication: 'Hjertesykdom' },
  { key: 'sakubitril-valsartan', atc: { code: 'C09DX04', text: 'Valsartan og sakubitril' }, name: 'Entresto Tab 49 mg/51 mg', brand: 'Entresto', form: TABLETT, reseptgruppe: 'C', varenr: '513591', packSize: '56', packUnit: STK, dosage: '1 tablett 2 ganger daglig', use: 'fast', indication: 'Hjertesvikt' },
  { key: 'apiksaban', atc: { code: 'B01AF02', text: 'Apiksaban' }, name: 'Eliquis Tab 5 mg', brand: 'Eliquis', form: TABLETT, reseptgruppe: 'C', varenr: '514024', packSize: '168', packUnit: STK, dosage: '1 tablett morgen og 1 tablett kveld', use: 'fast', indication: 'Forebygging av blodpropp' },
  { key: 'warfarin', atc: { code: 'B01AA03', text: 'Warfarin' }, name: 'Marevan Tab 2,5 mg', brand: 'Marevan', form: TABLETT, reseptgruppe: 'C', varenr: '514135', packSize: '100', packUnit: STK, dosage: 'Etter INR-skjema', use: 'fast', indication: 'Mekanisk hjerteklaff, blodfortynnende' },
  { key: 'acetylsalisylsyre', atc: { code: 'B01AC06', text: 'Acetylsalisylsyre' }, name: 'Albyl-E Enterotab 75 mg', brand: 'Albyl-E', form: { code: '28', text: 'Enterotablett' }, reseptgruppe: 'C', varenr: '514246', packSize: '98', packUnit: STK, dosage: '1 tablett daglig', use: 'fast', indication: 'Forebygging av hjerteinfarkt' },
  { key: 'atorvastatin', atc: { code: 'C10AA05', text: 'Atorvastatin' }, name: 'Lipitor Tab 20 mg', brand: 'Lipitor', form: TABLETT, reseptgruppe: 'C', varenr: '514357', packSize: '98', packUnit: STK, dosage: '1 tablett om kvelden', use: 'fast', indication: 'Høyt kolesterol' },
  { key: 'simvastatin', atc: { code: 'C10AA01', text: 'Simvastatin' }, name: 'Zocor Tab 20 mg', brand: 'Zocor', form: TABLETT, reseptgruppe: 'C', varenr: '514468', packSize: '98', packUnit: STK, dosage: '1 tablett om kvelden', use: 'fast', indication: 'Høyt kolesterol' },
  { key: 'escitalopram', atc: { code: 'N06AB10', text: 'Escitalopram' }, name: 'Cipralex Tab 10 mg', brand: 'Cipralex', form: TABLETT, reseptgruppe: 'C', varenr: '515013', packSize: '98', packUnit: STK, dosage: '1 tablett daglig', use: 'fast', indication: 'Depresjon' },
  { key: 'levotyroksin', atc: { code: 'H03AA01', text: 'Levotyroksinnatrium' }, name: 'Levaxin Tab 50 mikrog', brand: 'Levaxin', form: TABLETT, reseptgruppe: 'C', varenr: '515124', packSize: '100', packUnit: STK, dosage: '1 tablett om morgenen før frokost', use: 'fast', indication: 'Lavt stoffskifte' },
  { key: 'tiotropium', atc: { code: 'R03BB04', text: 'Tiotropiumbromid' }, name: 'Spiriva Respimat Inh.væske 2,5 mikrog/dose', brand: 'Spiriva Respimat', form: { code: '100', text: 'Inhalasjonsvæske til nebulisator' }, reseptgruppe: 'C', varenr: '515235', packSize: '60', packUnit: { code: 'doser', text: 'doser' }, dosage: '2 inhalasjoner 1 gang daglig', use: 'fast', indication: 'KOLS' },
  { key: 'salbutamol', atc: { code: 'R03AC02', text: 'Salbutamol' }, name: 'Ventoline Inh.aerosol 0,1 mg/dose', brand: 'Ventoline', form: { code: '96', text: 'Inhalasjonsaerosol' }, reseptgruppe: 'C', varenr: '515346', packSize: '200', packUnit: { code: 'doser', text: 'doser' }, dosage: '1-2 inhalasjoner ved behov, høyst 8 per døgn', use: 'behov', indication: 'Tung pust' },
  { key: 'budesonid-formoterol', atc: { code: 'R03AK07', text: 'Formoterol og budesonid' }, name: 'Symbicort Turbuhaler Inh.pulv 160/4,5 mikrog/dose', brand: 'Symbicort Turbuhaler', form: { code: '99', text: 'Inhalasjonspulver' }, reseptgruppe: 'C', varenr: '515457', packSize: '120', packUnit: { code: 'doser', text: 'doser' }, dosage: '1 inhalasjon morgen og kveld', use: 'fast', indication: 'Astma' },
  { key: 'fenoksymetylpenicillin', atc: { code: 'J01CE02', text: 'Fenoksymetylpenicillin' }, name: 'Apocillin Tab 660 mg', brand: 'Apocillin', form: TABLETT, reseptgruppe: 'C', varenr: '516012', packSize: '28', packUnit: STK, dosage: '1 tablett 4 ganger daglig i 7 dager', use: 'kur', indication: 'Infeksjon' },
  { key: 'amoksicillin-mikstur', atc: { code: 'J01CA04', text: 'Amoksicillin' }, name: 'Imacillin Mikst 50 mg/ml', brand: 'Imacillin', form: { code: '9', text: 'Mikstur' }, reseptgruppe: 'C', varenr: '016123', packSize: '100', packUnit: { code: 'ml', text: 'milliliter' }, dosage: '5 ml 3 ganger daglig i 5 dager', use: 'kur', indication: 'Ørebetennelse' },
  { key: 'pivmecillinam', atc: { code: 'J01CA08', text: 'Pivmecillinam' }, name: 'Selexid Tab 200 mg', brand: 'Selexid', form: TABLETT, reseptgruppe: 'C', varenr: '516234', packSize: '15', packUnit: STK, dosage: '1 tablett 3 ganger daglig i 5 dager', use: 'kur', indication: 'Urinveisinfeksjon' },
  { key: 'paracetamol', atc: { code: 'N02BE01', text: 'Paracetamol' }, name: 'Paracet Tab 500 mg', brand: 'Paracet', form: TABLETT, reseptgruppe: 'C', varenr: '516345', packSize: '100', packUnit: STK, dosage: '1-2 tabletter ved behov, høyst 8 per døgn', use: 'behov', indication: 'Smerter' },
  { key: 'paracetamol-mikstur', atc: { code: 'N02BE01', text: 'Paracetamol' }, name: 'Paracet Mikst 24 mg/ml', brand: 'Paracet', form: { code: '9', text: 'Mikstur' }, reseptgruppe: 'C', varenr: '016456', packSize: '100', packUnit: { code: 'ml', text: 'milliliter' }, dosage: '7,5 ml ved behov, høyst 4 ganger per døgn', use: 'behov', indication: 'Feber og smerter' },
  { key: 'ibuprofen', atc: { code: 'M01AE01', text: 'Ibuprofen' }, name: 'Ibux Tab 400 mg', brand: 'Ibux', form: TABLETT, reseptgruppe: 'C', varenr: '516567', packSize: '30', packUnit: STK, dosage: '1 tablett inntil 3 ganger daglig ved behov', use: 'behov', indication: 'Smerter' },
  { key: 'sumatriptan', atc: { code: 'N02CC01', text: 'Sumatriptan' }, name: 'Imigran Tab 50 mg', brand: 'Imigran', form: TABLETT, reseptgruppe: 'C', varenr: '516678', packSize: '12', packUnit: STK, dosage: '1 tablett ved migreneanfall, kan gjentas etter 2 timer', use: 'behov', indication: 'Migrene' },
  { key: 'metylfenidat', atc: { code: 'N06BA04', text: 'Metylfenidat' }, name: 'Concerta Depottab 18 mg', brand: 'Concerta', form: { code: '25', text: 'Depottablett' }, reseptgruppe: 'A', varenr: '517011', packSize: '30', packUnit: STK, dosage: '1 depottablett om morgenen', use: 'fast', indication: 'ADHD' },
  { key: 'hydrokortison-krem', atc: { code: 'D07AA02', text: 'Hydrokortison' }, name: 'Hydrokortison Krem 1 %', brand: 'Hydrokortison', form: { code: '34', text: 'Krem' }, reseptgruppe: 'C', varenr: '517122', packSize: '30', packUnit: { code: 'g', text: 'gram' }, dosage: 'Smøres tynt på eksem 1-2 ganger daglig', use: 'fast', indication: 'Eksem' },
  { key: 'omeprazol', atc: { code: 'A02BC01', text: 'Omeprazol' }, name: 'Omeprazol Enterokaps 20 mg', brand: 'Omeprazol', form: { code: '27', text: 'Enterokapsel' }, reseptgruppe: 'C', varenr: '517233', packSize: '56', packUnit: STK, dosage: '1 kapsel daglig før frokost', use: 'fast', indication: 'Mot sure oppstøt' },
  { key: 'takrolimus', atc: { code: 'L04AD02', text: 'Takrolimus' }, name: 'Prograf Kaps 1 mg', brand: 'Prograf', form: { code: '32', text: 'Kapsel' }, reseptgruppe: 'C', varenr: '517344', packSize: '100', packUnit: STK, dosage: 'Etter skjema fra transplantasjonssenteret, morgen og kveld', use: 'fast', indication: 'Etter nyretransplantasjon' },
  { key: 'mykofenolat', atc: { code: 'L04AA06', text: 'Mykofenolsyre' }, name: 'CellCept Tab 500 mg', brand: 'CellCept', form: TABLETT, reseptgruppe: 'C', varenr: '517455', packSize: '50', packUnit: STK, dosage: '2 tabletter 2 ganger daglig', use: 'fast', indication: 'Etter transplantasjon' },
  { key: 'prednisolon', atc: { code: 'H02AB06', text: 'Prednisolon' }, name: 'Prednisolon Tab 5 mg', brand: 'Prednisolon', form: TABLETT, reseptgruppe: 'C', varenr: '517566', packSize: '100', packUnit: STK, dosage: '1 tablett om morgenen', use: 'fast', indication: 'Etter transplantasjon' },
  { key: 'faktor-viii', atc: { code: 'B02BD02', text: 'Koagulasjonsfaktor VIII' }, name: 'Advate Inj.pulv 1000 IE', brand: 'Advate', form: { code: '103', text: 'Pulver til injeksjonsvæske' }, reseptgruppe: 'C', varenr: '517677', packSize: '1', packUnit: STK, dosage: '1000 IE intravenøst 3 ganger i uken (profylakse)', use: 'fast', indication: 'Hemofili A' },
  { key: 'zopiklon', atc: { code: 'N05CF01', text: 'Zopiklon' }, name: 'Imovane Tab 7,5 mg', brand: 'Imovane', form: TABLETT, reseptgruppe: 'B', varenr: '518011', packSize: '10', packUnit: STK, dosage: '1 tablett ved behov om kvelden', use: 'behov', indication: 'Søvnvansker' },
  { key: 'alendronat', atc: { code: 'M05BA04', text: 'Alendronsyre' }, name: 'Fosamax Tab 70 mg', brand: 'Fosamax', form: TABLETT, reseptgruppe: 'C', varenr: '518122', packSize: '4', packUnit: STK, dosage: '1 tablett 1 gang i uken', use: 'fast', indication: 'Beinskjørhet' },
];

/** Procedures reported to NPR. */
export const PROCEDURES: readonly ProcedureDef[] = [
  { key: 'appendektomi', classification: 'ncsp', code: 'JEA00', text: 'Appendektomi' },
  { key: 'lap-appendektomi', classification: 'ncsp', code: 'JEA01', text: 'Laparoskopisk appendektomi' },
  { key: 'lap-kolecystektomi', classification: 'ncsp', code: 'JKA21', text: 'Laparoskopisk kolecystektomi' },
  { key: 'pci', classification: 'ncsp', code: 'FNG05', text: 'Perkutan koronar intervensjon (PCI) med innsetting av stent' },
  { key: 'pacemaker', classification: 'ncsp', code: 'FPE10', text: 'Innsetting av pacemaker' },
  { key: 'pacemaker-fjerning', classification: 'ncsp', code: 'FPE96', text: 'Fjerning av pacemaker' },
  { key: 'icd', classification: 'ncsp', code: 'FPG10', text: 'Innsetting av implanterbar defibrillator (ICD)' },
  { key: 'hofteprotese', classification: 'ncsp', code: 'NFB40', text: 'Primær totalprotese i hofteledd uten sement' },
  { key: 'nyretransplantasjon', classification: 'ncsp', code: 'KAS10', text: 'Nyretransplantasjon fra levende giver' },
  { key: 'koloskopi', classification: 'ncsp', code: 'UJF32', text: 'Koloskopi' },
  { key: 'gastroskopi', classification: 'ncsp', code: 'UJD02', text: 'Gastroskopi' },
  { key: 'katarakt', classification: 'ncsp', code: 'CJE20', text: 'Fakoemulsifikasjon av linse med innsetting av kunstig linse' },
  { key: 'tonsillektomi', classification: 'ncsp', code: 'EMB10', text: 'Tonsillektomi' },
  { key: 'dren-trommehinne', classification: 'ncsp', code: 'DCA20', text: 'Innsetting av dren i trommehinnen' },
  { key: 'karpaltunnel', classification: 'ncsp', code: 'ACC51', text: 'Spalting av ligament ved karpaltunnelsyndrom' },
  { key: 'keisersnitt', classification: 'ncsp', code: 'MCA10', text: 'Keisersnitt i nedre uterinsegment' },
  { key: 'hjerteklaff', classification: 'ncsp', code: 'FMD00', text: 'Innsetting av mekanisk aortaklaffprotese' },
  { key: 'cochlea', classification: 'ncsp', code: 'DFE00', text: 'Innsetting av cochleaimplantat' },
  { key: 'hemodialyse', classification: 'ncmp', code: 'RXGD25', text: 'Intermitterende hemodialyse ved kronisk tilstand' },
  { key: 'transfusjon', classification: 'ncmp', code: 'REGG15', text: 'Transfusjon av bestrålte erytrocytter' },
];

/**
 * Diseases with their ICD-10 (NPR) and ICPC-2 (KPR) codes. Where both are given they are the same disease
 * seen from specialist and primary care: the pairs the summary deduplicates.
 */
export const DISEASES: readonly Disease[] = [
  { key: 'diabetes-2', icd10: { code: 'E11.9', text: 'Diabetes mellitus type 2 uten komplikasjoner' }, icpc2: { code: 'T90', text: 'Diabetes type 2' }, chronic: true, minAge: 35, weight: 8, drugs: ['metformin', 'empagliflozin'], nprShare: 0.5 },
  { key: 'diabetes-1', icd10: { code: 'E10.9', text: 'Diabetes mellitus type 1 uten komplikasjoner' }, icpc2: { code: 'T89', text: 'Diabetes type 1' }, chronic: true, minAge: 3, weight: 1, drugs: ['insulin-glargin', 'insulin-aspart'], nprShare: 0.95 },
  { key: 'hypertensjon', icd10: { code: 'I10', text: 'Essensiell (primær) hypertensjon' }, icpc2: { code: 'K86', text: 'Hypertensjon ukomplisert' }, chronic: true, minAge: 35, weight: 14, drugs: ['amlodipin', 'losartan'], nprShare: 0.15 },
  { key: 'hjertesvikt', icd10: { code: 'I50.9', text: 'Uspesifisert hjertesvikt' }, icpc2: { code: 'K77', text: 'Hjertesvikt' }, chronic: true, minAge: 55, weight: 4, drugs: ['furosemid', 'metoprolol', 'sakubitril-valsartan'], nprShare: 0.9 },
  { key: 'atrieflimmer', icd10: { code: 'I48.9', text: 'Uspesifisert atrieflimmer og atrieflutter' }, icpc2: { code: 'K78', text: 'Atrieflimmer/flutter' }, chronic: true, minAge: 50, weight: 5, drugs: ['apiksaban', 'metoprolol'], nprShare: 0.7 },
  { key: 'hjerteinfarkt', icd10: { code: 'I21.9', text: 'Uspesifisert akutt hjerteinfarkt' }, icpc2: { code: 'K75', text: 'Akutt hjerteinfarkt' }, chronic: false, minAge: 45, weight: 2, drugs: ['acetylsalisylsyre', 'atorvastatin', 'metoprolol'], procedures: ['pci'], device: 'koronarstent', nprShare: 1 },
  { key: 'angina', icd10: { code: 'I20.9', text: 'Uspesifisert angina pectoris' }, icpc2: { code: 'K74', text: 'Iskemisk hjertesykdom med angina' }, chronic: true, minAge: 45, weight: 3, drugs: ['acetylsalisylsyre', 'simvastatin'], nprShare: 0.6 },
  { key: 'av-blokk', icd10: { code: 'I44.2', text: 'Totalt atrioventrikulært blokk' }, icpc2: { code: 'K84', text: 'Annen hjertesykdom' }, chronic: true, minAge: 60, weight: 1, drugs: [], procedures: ['pacemaker'], device: 'pacemaker', nprShare: 1 },
  { key: 'hjerneslag', icd10: { code: 'I63.9', text: 'Uspesifisert hjerneinfarkt' }, icpc2: { code: 'K90', text: 'Hjerneslag' }, chronic: false, minAge: 55, weight: 1.5, drugs: ['apiksaban', 'atorvastatin'], nprShare: 1 },
  { key: 'hyperlipidemi', icd10: { code: 'E78.0', text: 'Ren hyperkolesterolemi' }, icpc2: { code: 'T93', text: 'Lipidforstyrrelse' }, chronic: true, minAge: 40, weight: 6, drugs: ['atorvastatin'], nprShare: 0.05 },
  { key: 'kols', icd10: { code: 'J44.9', text: 'Uspesifisert kronisk obstruktiv lungesykdom' }, icpc2: { code: 'R95', text: 'Kronisk obstruktiv lungesykdom' }, chronic: true, minAge: 50, weight: 4, drugs: ['tiotropium', 'salbutamol'], nprShare: 0.5 },
  { key: 'astma', icd10: { code: 'J45.9', text: 'Uspesifisert astma' }, icpc2: { code: 'R96', text: 'Astma' }, chronic: true, minAge: 4, weight: 5, drugs: ['budesonid-formoterol', 'salbutamol'], nprShare: 0.2 },
  { key: 'pneumoni', icd10: { code: 'J18.9', text: 'Uspesifisert pneumoni' }, icpc2: { code: 'R81', text: 'Lungebetennelse' }, chronic: false, minAge: 0, weight: 5, drugs: ['fenoksymetylpenicillin'], nprShare: 0.35 },
  { key: 'depresjon', icd10: { code: 'F32.9', text: 'Uspesifisert depressiv episode' }, icpc2: { code: 'P76', text: 'Depressiv lidelse' }, chronic: true, minAge: 15, weight: 6, drugs: ['escitalopram'], nprShare: 0.2 },
  { key: 'hypotyreose', icd10: { code: 'E03.9', text: 'Uspesifisert hypotyreose' }, icpc2: { code: 'T86', text: 'Hypotyreose/myksødem' }, chronic: true, minAge: 25, weight: 4, drugs: ['levotyroksin'], nprShare: 0.1 },
  { key: 'appendisitt', icd10: { code: 'K35.8', text: 'Annen og uspesifisert akutt appendisitt' }, icpc2: { code: 'D88', text: 'Appendisitt' }, chronic: false, minAge: 5, maxAge: 70, weight: 2, drugs: [], procedures: ['lap-appendektomi'], nprShare: 1 },
  { key: 'gallestein', icd10: { code: 'K80.2', text: 'Gallesten uten kolecystitt' }, icpc2: { code: 'D98', text: 'Kolecystitt/kolelitiasis' }, chronic: false, minAge: 30, weight: 2, drugs: [], procedures: ['lap-kolecystektomi'], nprShare: 0.9 },
  { key: 'hofteartrose', icd10: { code: 'M16.1', text: 'Annen primær koksartrose' }, icpc2: { code: 'L89', text: 'Artrose i hofte' }, chronic: true, minAge: 55, weight: 3, drugs: ['paracetamol'], procedures: ['hofteprotese'], device: 'hofteprotese', nprShare: 0.6 },
  { key: 'katarakt', icd10: { code: 'H25.9', text: 'Uspesifisert aldersrelatert katarakt' }, icpc2: { code: 'F92', text: 'Katarakt' }, chronic: false, minAge: 60, weight: 3, drugs: [], procedures: ['katarakt'], nprShare: 0.9 },
  { key: 'karpaltunnel', icd10: { code: 'G56.0', text: 'Karpaltunnelsyndrom' }, icpc2: { code: 'N93', text: 'Karpaltunnelsyndrom' }, chronic: false, minAge: 30, weight: 1.5, drugs: [], procedures: ['karpaltunnel'], nprShare: 0.6 },
  { key: 'migrene', icd10: { code: 'G43.9', text: 'Uspesifisert migrene' }, icpc2: { code: 'N89', text: 'Migrene' }, chronic: true, minAge: 12, weight: 4, drugs: ['sumatriptan'], nprShare: 0.1 },
  { key: 'urinveisinfeksjon', icd10: { code: 'N39.0', text: 'Urinveisinfeksjon med uspesifisert lokalisasjon' }, icpc2: { code: 'U71', text: 'Cystitt/urinveisinfeksjon IKA' }, chronic: false, minAge: 2, weight: 6, drugs: ['pivmecillinam'], nprShare: 0.05 },
  { key: 'ryggsmerter', icd10: { code: 'M54.5', text: 'Lumbago' }, icpc2: { code: 'L03', text: 'Korsryggsymptomer/plager' }, chronic: false, minAge: 18, weight: 7, drugs: ['ibuprofen'], nprShare: 0.1 },
  { key: 'ovre-luftveisinfeksjon', icd10: { code: 'J06.9', text: 'Akutt øvre luftveisinfeksjon, uspesifisert' }, icpc2: { code: 'R74', text: 'Akutt øvre luftveisinfeksjon' }, chronic: false, minAge: 0, weight: 9, drugs: [], nprShare: 0.02 },
  { key: 'tonsillitt', icd10: { code: 'J03.9', text: 'Uspesifisert akutt tonsillitt' }, icpc2: { code: 'R76', text: 'Akutt tonsillitt/peritonsillitt' }, chronic: false, minAge: 2, maxAge: 40, weight: 3, drugs: ['fenoksymetylpenicillin'], procedures: ['tonsillektomi'], nprShare: 0.1 },
  { key: 'otitt', icd10: { code: 'H66.9', text: 'Uspesifisert otitis media' }, icpc2: { code: 'H71', text: 'Akutt mellomørebetennelse' }, chronic: false, minAge: 0, maxAge: 12, weight: 6, drugs: ['amoksicillin-mikstur', 'paracetamol-mikstur'], procedures: ['dren-trommehinne'], nprShare: 0.15 },
  { key: 'eksem', icd10: { code: 'L20.9', text: 'Uspesifisert atopisk eksem' }, icpc2: { code: 'S87', text: 'Atopisk eksem' }, chronic: true, minAge: 0, maxAge: 30, weight: 4, drugs: ['hydrokortison-krem'], nprShare: 0.1 },
  { key: 'adhd', icd10: { code: 'F90.0', text: 'Forstyrrelse av aktivitet og oppmerksomhet' }, icpc2: { code: 'P81', text: 'Hyperkinetisk forstyrrelse' }, chronic: true, minAge: 6, maxAge: 40, weight: 2, drugs: ['metylfenidat'], nprShare: 0.8 },
  { key: 'refluks', icd10: { code: 'K21.9', text: 'Gastroøsofageal reflukssykdom uten øsofagitt' }, icpc2: { code: 'D84', text: 'Øsofagussykdom' }, chronic: true, minAge: 25, weight: 4, drugs: ['omeprazol'], procedures: ['gastroskopi'], nprShare: 0.3 },
  { key: 'osteoporose', icd10: { code: 'M81.9', text: 'Uspesifisert osteoporose' }, icpc2: { code: 'L95', text: 'Osteoporose' }, chronic: true, minAge: 60, weight: 2, drugs: ['alendronat'], nprShare: 0.3 },
  { key: 'sovnvansker', icd10: { code: 'G47.0', text: 'Innsovningsvansker og søvnvedlikeholdsvansker' }, icpc2: { code: 'P06', text: 'Søvnforstyrrelse' }, chronic: false, minAge: 20, weight: 3, drugs: ['zopiklon'], nprShare: 0.02 },
  { key: 'kreft-tykktarm', icd10: { code: 'C18.7', text: 'Ondartet svulst i colon sigmoideum' }, icpc2: { code: 'D75', text: 'Ondartet svulst tykktarm/endetarm' }, chronic: true, minAge: 50, weight: 0.7, drugs: [], procedures: ['koloskopi'], nprShare: 1 },
  { key: 'aortastenose', icd10: { code: 'I35.0', text: 'Aortastenose' }, icpc2: { code: 'K83', text: 'Hjerteklaffesykdom IKA' }, chronic: true, minAge: 60, weight: 0.5, drugs: ['warfarin'], procedures: ['hjerteklaff'], device: 'hjerteklaff', nprShare: 1 },
  { key: 'kronisk-nyresykdom', icd10: { code: 'N18.5', text: 'Kronisk nyresykdom, stadium 5' }, icpc2: { code: 'U99', text: 'Annen sykdom i urinorganene' }, chronic: true, minAge: 40, weight: 0.5, drugs: [], procedures: ['hemodialyse'], nprShare: 1 },
  // Seen only in the hand-written scenarios (weight 0): the bleeding disorder behind a Kjernejournal alert.
  { key: 'hemofili-a', icd10: { code: 'D66', text: 'Arvelig mangel på faktor VIII' }, icpc2: { code: 'B83', text: 'Purpura/koagulasjonsdefekt' }, chronic: true, minAge: 0, weight: 0, drugs: ['faktor-viii'], nprShare: 1 },
  { key: 'keisersnitt', icd10: { code: 'O82.0', text: 'Fødsel ved elektivt keisersnitt' }, chronic: false, minAge: 20, maxAge: 45, weight: 0.8, drugs: [], procedures: ['keisersnitt'], nprShare: 1 },
];

/** Drug allergens as Kjernejournal codes them (ATC at level 4, 5 or 7). */
export const DRUG_ALLERGENS: readonly Allergen[] = [
  { key: 'penicillin', category: 'medication', system: 'atc', code: 'J01C', display: 'Betalaktamantibakterielle midler, penicilliner', text: 'Penicillin' },
  { key: 'fenoksymetylpenicillin', category: 'medication', system: 'atc', code: 'J01CE02', display: 'Fenoksymetylpenicillin', text: 'Penicillin V' },
  { key: 'sulfa', category: 'medication', system: 'atc', code: 'J01EE01', display: 'Sulfametoksazol og trimetoprim', text: 'Trimetoprim-sulfa' },
  { key: 'nsaid', category: 'medication', system: 'atc', code: 'M01A', display: 'Antiinflammatoriske og antirevmatiske midler, ekskl. steroider', text: 'NSAIDs' },
  { key: 'kodein', category: 'medication', system: 'atc', code: 'R05DA04', display: 'Kodein', text: 'Kodein' },
  { key: 'ace-hemmer', category: 'medication', system: 'atc', code: 'C09A', display: 'ACE-hemmere, usammensatte', text: 'ACE-hemmere' },
  { key: 'kontrast', category: 'medication', system: 'atc', code: 'V08A', display: 'Røntgenkontrastmidler, jodholdige', text: 'Jodholdig kontrastmiddel' },
  { key: 'propofol', category: 'medication', system: 'atc', code: 'N01AX10', display: 'Propofol', text: 'Propofol (anestesi)' },
  { key: 'morfin', category: 'medication', system: 'atc', code: 'N02AA01', display: 'Morfin', text: 'Morfin' },
];

/** Other allergens (food, environment), coded in SNOMED CT. */
export const OTHER_ALLERGENS: readonly Allergen[] = [
  { key: 'peanott', category: 'food', system: 'snomed', code: '762952008', display: 'Peanut (substance)', text: 'Peanøtter' },
  { key: 'egg', category: 'food', system: 'snomed', code: '102263004', display: 'Eggs (edible) (substance)', text: 'Egg' },
  { key: 'melk', category: 'food', system: 'snomed', code: '3718001', display: "Cow's milk (substance)", text: 'Kumelk' },
  { key: 'lateks', category: 'environment', system: 'snomed', code: '111088007', display: 'Latex (substance)', text: 'Lateks' },
  { key: 'biegift', category: 'environment', system: 'snomed', code: '288328004', display: 'Bee venom (substance)', text: 'Biestikk' },
];

/**
 * Explicit statements of known absence (SNOMED CT, eu-formats.md §1.4), for hand-written scenarios only:
 * the generator never picks them, since they contradict any other allergy.
 */
export const KNOWN_ABSENCE_ALLERGENS: readonly Allergen[] = [
  { key: 'ingen-kjente-allergier', category: 'medication', system: 'snomed', code: '716186003', display: 'No known allergy (situation)', text: 'Ingen kjente allergier' },
];

/** Reaction types (Volven 7497 Reaksjon, kritisk informasjon), the detailed codes. */
export const REACTIONS = {
  anafylaksi: { code: '101', text: 'Anafylaktisk reaksjon' },
  blodtrykksfall: { code: '201', text: 'Blodtrykksfall' },
  larynxodem: { code: '301', text: 'Larynxødem' },
  astma: { code: '302', text: 'Astma' },
  tungPust: { code: '303', text: 'Uspesifisert tung pust' },
  kramper: { code: '402', text: 'Generaliserte kramper' },
  angioodem: { code: '501', text: 'Angioødem/Alvorlig generalisert urticaria' },
  sjs: { code: '502', text: 'Andre alvorlige hudreaksjoner som Stevens–Johnson syndrom' },
  hudreaksjon: { code: '504', text: 'Mindre alvorlig hudreaksjon som kløe/hevelse/begrenset urticaria/erytem' },
  irritasjon: { code: '505', text: 'Irritasjon i øyne, nese, hals' },
  mageTarm: { code: '601', text: 'Oppkast/diaré/mavesmerter' },
  nyresvikt: { code: '702', text: 'Nyresvikt/redusert nyrefunksjon' },
  annenMindre: { code: '706', text: 'Annen mindre alvorlig reaksjon' },
} as const satisfies Record<string, CodedText>;

/** The name of a reaction type in {@link REACTIONS}. */
export type ReactionKey = keyof typeof REACTIONS;

/** Critical medical conditions Kjernejournal shows as alerts (ICD-10, outside chapters XX and XXI). */
export const CRITICAL_CONDITIONS: readonly KjConditionDef[] = [
  { key: 'hemofili-a', icd10: { code: 'D66', text: 'Arvelig mangel på faktor VIII' }, text: 'Hemofili A (blødersykdom)' },
  { key: 'hemofili-b', icd10: { code: 'D67', text: 'Arvelig mangel på faktor IX' }, text: 'Hemofili B (blødersykdom)' },
  { key: 'von-willebrand', icd10: { code: 'D68.0', text: 'Von Willebrands sykdom' }, text: 'Von Willebrands sykdom' },
  { key: 'addison', icd10: { code: 'E27.1', text: 'Primær binyrebarksvikt' }, text: 'Addisons sykdom' },
  { key: 'myasteni', icd10: { code: 'G70.0', text: 'Myasthenia gravis' }, text: 'Myasthenia gravis' },
  { key: 'malign-hypertermi', icd10: { code: 'T88.3', text: 'Malign hypertermi som skyldes anestesi' }, text: 'Malign hypertermi ved anestesi' },
];

/** Transplants (Kjernejournal category 7, non-mechanical implants). */
export const TRANSPLANTS: readonly KjConditionDef[] = [
  { key: 'nyre', icd10: { code: 'Z94.0', text: 'Status etter nyretransplantasjon' }, text: 'Transplantert nyre' },
  { key: 'lever', icd10: { code: 'Z94.4', text: 'Status etter levertransplantasjon' }, text: 'Transplantert lever' },
  { key: 'hornhinne', icd10: { code: 'Z94.7', text: 'Status etter hornhinnetransplantasjon' }, text: 'Transplantert hornhinne' },
];

/** Mechanical implants and devices (Kjernejournal DeviceUseStatement with a contained Device). */
export const DEVICES: readonly DeviceDef[] = [
  { key: 'pacemaker', snomed: { code: '14106009', text: 'Cardiac pacemaker' }, text: 'Pacemaker', procedure: 'pacemaker' },
  { key: 'icd', snomed: { code: '72506001', text: 'Implantable defibrillator' }, text: 'Implanterbar defibrillator (ICD)', procedure: 'icd' },
  { key: 'hofteprotese', snomed: { code: '304120007', text: 'Total hip replacement prosthesis' }, text: 'Hofteprotese', procedure: 'hofteprotese' },
  { key: 'koronarstent', snomed: { code: '705643001', text: 'Coronary artery stent' }, text: 'Koronarstent', procedure: 'pci' },
  { key: 'hjerteklaff', snomed: { code: '25510005', text: 'Heart valve prosthesis' }, text: 'Mekanisk hjerteklaff', procedure: 'hjerteklaff' },
  { key: 'cochleaimplantat', snomed: { code: '43252007', text: 'Cochlear prosthesis' }, text: 'Cochleaimplantat', procedure: 'cochlea' },
];

/** Hospitals reporting to NPR (invented names and numbers). */
export const HOSPITALS: readonly InstitutionDef[] = [
  { name: 'Fjordby sykehus HF', enh: organisationNumber('99120001'), resh: '4210001' },
  { name: 'Nordvik sykehus HF', enh: organisationNumber('99120002'), resh: '4210002' },
  { name: 'Sørdal universitetssykehus HF', enh: organisationNumber('99120003'), resh: '4210003' },
  { name: 'Innlandet testsykehus HF', enh: organisationNumber('99120004'), resh: '4210004' },
  { name: 'Vestkysten privatsykehus AS', enh: organisationNumber('99120005') },
];

/** Practices and municipal services reporting to KPR (invented names and numbers). */
export const PRIMARY_CARE: readonly InstitutionDef[] = [
  { name: 'Fjordby legesenter', enh: organisationNumber('99130001') },
  { name: 'Nordvik legekontor', enh: organisationNumber('99130002') },
  { name: 'Sørdal legesenter', enh: organisationNumber('99130003') },
  { name: 'Fjordby interkommunale legevakt', enh: organisationNumber('99130005') },
];

/** A municipal service that reports ICD-10 to KPR (the register rule that lets KPR carry ICD-10). */
export const MUNICIPAL_ACUTE_UNIT: InstitutionDef = { name: 'Fjordby kommunale akutte døgnenhet (KAD)', enh: organisationNumber('99130006') };

/** Prescribers sending M1s (invented HPR, HER and organisation numbers). */
export const PRESCRIBERS: readonly Prescriber[] = [
  { given: 'Hanne', family: 'Legesen', hpr: '565104311', org: 'Fjordby legesenter', enh: organisationNumber('99130001'), her: '8123401', street: 'Legeveien 1', postalCode: '0570', city: 'Oslo' },
  { given: 'Per', family: 'Doktorsen', hpr: '565104322', org: 'Nordvik legekontor', enh: organisationNumber('99130002'), her: '8123402', street: 'Storgata 5', postalCode: '8006', city: 'Bodø' },
  { given: 'Ingrid', family: 'Hjelpe', hpr: '565104335', org: 'Sørdal legesenter', enh: organisationNumber('99130003'), her: '8123403', street: 'Torget 2', postalCode: '4611', city: 'Kristiansand' },
];

/** Reseptformidleren as M1 receiver (the fixtures' invented numbers). */
export const RESEPTFORMIDLEREN = { name: 'Reseptformidleren', enh: '991000127', her: '965301' } as const;

/** Where the test patients live. */
export const MUNICIPALITIES: readonly Municipality[] = [
  { kommunenr: '0301', name: 'Oslo', postalCode: '0571', city: 'Oslo', streets: ['Testveien', 'Syntetgata', 'Prøvestien'] },
  { kommunenr: '4601', name: 'Bergen', postalCode: '5003', city: 'Bergen', streets: ['Fjordgaten', 'Bryggeveien'] },
  { kommunenr: '5001', name: 'Trondheim', postalCode: '7010', city: 'Trondheim', streets: ['Elvegata', 'Nidarosveien'] },
  { kommunenr: '1804', name: 'Bodø', postalCode: '8006', city: 'Bodø', streets: ['Sjøgata', 'Nordlysveien'] },
  { kommunenr: '4204', name: 'Kristiansand', postalCode: '4611', city: 'Kristiansand', streets: ['Strandgata', 'Kvadraturen'] },
  { kommunenr: '5501', name: 'Tromsø', postalCode: '9008', city: 'Tromsø', streets: ['Polarveien', 'Ishavsgata'] },
];

/** Given names by legal sex. */
export const GIVEN_NAMES = {
  female: ['Kari', 'Ingrid', 'Anne', 'Marit', 'Liv', 'Astrid', 'Nora', 'Emma', 'Ida', 'Sofie', 'Hanne', 'Solveig', 'Randi', 'Berit', 'Sigrid', 'Maja', 'Ella', 'Thea'],
  male: ['Ola', 'Per', 'Jan', 'Lars', 'Knut', 'Arne', 'Bjørn', 'Jonas', 'Emil', 'Henrik', 'Magnus', 'Tor', 'Odd', 'Sverre', 'Kristian', 'Jakob', 'Filip', 'Nils'],
} as const;

/** Family names. */
export const FAMILY_NAMES: readonly string[] = [
  'Hansen', 'Johansen', 'Olsen', 'Larsen', 'Andersen', 'Pedersen', 'Nilsen', 'Kristiansen', 'Jensen', 'Karlsen',
  'Berg', 'Haugen', 'Hagen', 'Bakken', 'Dahl', 'Lie', 'Moen', 'Strand', 'Solberg', 'Eriksen',
];
