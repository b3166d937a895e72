/**
 * The fields a reader compares between an M1 and the EU ePrescription it became, for the side-by-side
 * view: where each is in the M1 (XPath by local name) and in the EU Bundle (a resource type and a
 * FHIRPath below it). This is what the page highlights, not the conversion's rules (those are in
 * docs/conversion.md); a field the conversion did not carry shows up as "not carried over". Pure: no DOM.
 */
import { locateFhirPath, locateXPath, parseJsonWithLines, parseXmlWithLines } from './source-lines.js';

const PRESCRIBED_QUANTITY = 'https://profiles.ihe.net/PHARM/MPD/StructureDefinition/ihe-ext-medicationrequest-prescribedQuantity';
const PRODUCT_NAME = 'https://profiles.ihe.net/PHARM/MPD/StructureDefinition/ihe-ext-medication-productname';
const CLASSIFICATION = 'https://profiles.ihe.net/PHARM/MPD/StructureDefinition/ihe-ext-medication-classification';

/** The compared fields, with their labels in both languages. */
export const M1_EU_FIELDS = [
  { label: { nb: 'ReseptId', en: 'Prescription id' }, m1: '/MsgHead/MsgInfo/MsgId', eu: ['MedicationRequest', 'identifier[0].value'] },
  { label: { nb: 'Forskrevet', en: 'Written' }, m1: '//Resept/Forskrivningsdato', eu: ['MedicationRequest', 'authoredOn'] },
  { label: { nb: 'Utløper', en: 'Expires' }, m1: '//Resept/Utloper', eu: ['MedicationRequest', 'dispenseRequest.validityPeriod.end'] },
  { label: { nb: 'Antall pakninger', en: 'Packages' }, m1: '//ReseptDokLegemiddel/Antall', eu: ['MedicationRequest', `dispenseRequest.extension('${PRESCRIBED_QUANTITY}').value.value`] },
  { label: { nb: 'Reiterasjoner', en: 'Repeats' }, m1: '//ReseptDokLegemiddel/Reiterasjon', eu: ['MedicationRequest', 'dispenseRequest.numberOfRepeatsAllowed'] },
  { label: { nb: 'Dosering', en: 'Dosage' }, m1: '//Forskrivning/DosVeiledEnkel', eu: ['MedicationRequest', 'dosageInstruction[0].text'] },
  { label: { nb: 'Bruksområde', en: 'Purpose' }, m1: '//Forskrivning/Bruksomrade', eu: ['MedicationRequest', 'dosageInstruction[0].patientInstruction'] },
  { label: { nb: 'Administrasjonsvei', en: 'Route' }, m1: '//Administrasjonsvei/@DN', eu: ['MedicationRequest', 'dosageInstruction[0].route.text'] },
  { label: { nb: 'Legemiddel', en: 'Medicine' }, m1: '//Forskrivning//NavnFormStyrke', eu: ['Medication', `extension('${PRODUCT_NAME}').value`] },
  { label: { nb: 'ATC', en: 'ATC' }, m1: '//Forskrivning//Atc/@V', eu: ['Medication', `extension('${CLASSIFICATION}').value.coding[0].code`] },
  { label: { nb: 'Varenummer', en: 'Article number' }, m1: '//Forskrivning//Varenr', eu: ['Medication', 'code.coding[0].code'] },
  { label: { nb: 'Legemiddelform', en: 'Dose form' }, m1: '//Forskrivning//LegemiddelformKort/@DN', eu: ['Medication', 'form.text'] },
  { label: { nb: 'Pakningsstørrelse', en: 'Pack size' }, m1: '//PakningsinfoResept/Pakningsstr', eu: ['Medication', 'amount.numerator.value'] },
  { label: { nb: 'Pasient, etternavn', en: 'Patient, family name' }, m1: '/MsgHead/MsgInfo/Patient/FamilyName', eu: ['Patient', 'name[0].family'] },
  { label: { nb: 'Pasient, fornavn', en: 'Patient, given name' }, m1: '/MsgHead/MsgInfo/Patient/GivenName', eu: ['Patient', 'name[0].given[0]'] },
  { label: { nb: 'Pasient, identitet', en: 'Patient, identifier' }, m1: '/MsgHead/MsgInfo/Patient/Ident/Id', eu: ['Patient', 'identifier[0].value'] },
  { label: { nb: 'Forskriver, HPR-nummer', en: 'Prescriber, HPR number' }, m1: '//HealthcareProfessional/Ident/Id', eu: ['Practitioner', 'identifier[0].value'] },
  { label: { nb: 'Forskriver, etternavn', en: 'Prescriber, family name' }, m1: '//HealthcareProfessional/FamilyName', eu: ['Practitioner', 'name[0].family'] },
  { label: { nb: 'Virksomhet', en: 'Organisation' }, m1: '/MsgHead/MsgInfo/Sender/Organisation/OrganisationName', eu: ['Organization', 'name'] },
];

const DATE = /^\d{4}-\d{2}-\d{2}/;

/** `same` when the values read the same (dates by their day), `mapped` when both exist but differ, else `missing`. */
function match(m1, eu) {
  if (eu === undefined) return 'missing';
  const a = String(m1).trim();
  const b = String(eu).trim();
  if (a === b || (DATE.test(a) && DATE.test(b) && a.slice(0, 10) === b.slice(0, 10))) return 'same';
  return 'mapped';
}

/**
 * The compared fields of one conversion, with values and lines on both sides. Fields the M1 does not
 * have are left out.
 * @param {string} m1Xml the M1 as sent
 * @param {string} euJson the EU Bundle as shown (the page's pretty-printed JSON)
 * @returns {{ label: object, m1: { value, line, path }, eu: { value?, line?, path }, match: 'same'|'mapped'|'missing' }[]}
 */
export function compareFields(m1Xml, euJson) {
  const xml = parseXmlWithLines(m1Xml).root;
  const json = parseJsonWithLines(euJson).root;
  const bundle = JSON.parse(euJson);
  if (!xml || !json) return [];
  return M1_EU_FIELDS.flatMap((field) => {
    const m1 = locateXPath(xml, field.m1);
    if (!m1.exact || m1.value === undefined || m1.value === '') return [];
    const [type, below] = field.eu;
    const index = (bundle.entry ?? []).findIndex((e) => e.resource?.resourceType === type);
    const path = `Bundle.entry[${index}].resource.${below}`;
    const eu = index < 0 ? { exact: false } : locateFhirPath(json, path);
    const euSide = eu.exact ? { value: eu.value, line: eu.line, path } : { path };
    return [{ label: field.label, m1: { value: m1.value, line: m1.line, path: field.m1 }, eu: euSide, match: match(m1.value, euSide.value) }];
  });
}
