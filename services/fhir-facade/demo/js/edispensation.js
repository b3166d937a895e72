/**
 * "Dispense in another country": the EU eDispensation a pharmacy abroad sends back after dispensing a
 * Norwegian prescription, built in the page from the EU ePrescription that `$convert-m1-to-eu` released,
 * in the shape of `test-data/eu/ed-*.json` (HL7 Europe MPD MedicationDispense with its Medication,
 * pharmacy, pharmacist and patient). Pure: no DOM.
 */

/** MPD profiles and the R5 `recorded` extension the eDispensation carries. */
const MPD = {
  medicationDispense: 'http://hl7.eu/fhir/mpd/StructureDefinition/MedicationDispense-eu-mpd',
  medication: 'http://hl7.eu/fhir/mpd/StructureDefinition/Medication-eu-mpd',
  recorded: 'http://hl7.org/fhir/5.0/StructureDefinition/extension-MedicationDispense.recorded',
};
const UCUM = 'http://unitsofmeasure.org';
/** ISCO-08 "Pharmacists" (the role of the person who dispensed). */
const PHARMACIST_ROLE = { system: 'urn:oid:2.16.840.1.113883.2.9.6.2.7', code: '2262', display: 'Pharmacists' };

/**
 * The invented pharmacies abroad the page can dispense in (names, identifiers and people are synthetic,
 * under the test arcs of `test-data/eu/README.md`).
 */
export const FOREIGN_PHARMACIES = {
  SE: { name: 'Apoteket Testhjärtat Stortorget', city: 'Malmö', org: { system: 'urn:oid:1.2.752.129.2.1.4.1', value: 'SE-TEST-APO-0001' }, pharmacist: { family: 'Testsson', given: 'Anna', system: 'urn:oid:1.2.752.29.4.3', value: '9100123' } },
  DK: { name: 'Testapoteket Nørreport', city: 'København', org: { system: 'urn:oid:1.2.208.9999.4', value: 'DK-TEST-APO-0007' }, pharmacist: { family: 'Testesen', given: 'Mette', system: 'urn:oid:1.2.208.9999.3', value: 'DK-FARM-0042' } },
  FI: { name: 'Testiapteekki Kamppi', city: 'Helsinki', org: { system: 'urn:oid:1.2.246.9999.4', value: 'FI-TEST-APT-0003' }, pharmacist: { family: 'Testinen', given: 'Aino', system: 'urn:oid:1.2.246.9999.3', value: 'FI-FARM-0099' } },
};

/** A version 4 UUID; `crypto.randomUUID` exists only on secure origins, `getRandomValues` everywhere. */
export function randomUuid() {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const ofType = (bundle, type) => (bundle.entry ?? []).find((e) => e.resource?.resourceType === type)?.resource;

/** A resource copied into another Bundle: the id is the sender's, so it is left out. */
function copied(resource) {
  const copy = { ...resource };
  delete copy.id;
  return copy;
}

/**
 * The eDispensation Bundle.
 * @param {object} prescription the EU ePrescription Bundle (MedicationRequest, Medication, Patient, …)
 * @param {{ country: keyof typeof FOREIGN_PHARMACIES, packages: number, handedOver: string,
 *   dispenseId: string, uuid?: () => string }} dispensing `handedOver` an ISO date-time
 */
export function buildEuDispensation(prescription, dispensing) {
  const uuid = dispensing.uuid ?? randomUuid;
  const pharmacy = FOREIGN_PHARMACIES[dispensing.country];
  if (!pharmacy) throw new Error(`no demo pharmacy in ${dispensing.country}`);
  const request = ofType(prescription, 'MedicationRequest');
  const medication = ofType(prescription, 'Medication');
  const patient = ofType(prescription, 'Patient');
  const prescriptionId = request?.identifier?.[0];
  if (!request || !medication || !patient || !prescriptionId) throw new Error('the EU ePrescription lacks a MedicationRequest with an identifier, a Medication or a Patient');
  const url = { dispense: uuid(), medication: uuid(), organization: uuid(), practitioner: uuid(), role: uuid(), patient: uuid() };
  const urn = (key) => `urn:uuid:${url[key]}`;
  const dispense = {
    resourceType: 'MedicationDispense',
    meta: { profile: [MPD.medicationDispense] },
    extension: [{ url: MPD.recorded, valueDateTime: dispensing.handedOver }],
    identifier: [{ system: pharmacy.org.system, value: dispensing.dispenseId }],
    status: 'completed',
    medicationReference: { reference: urn('medication') },
    subject: { reference: urn('patient') },
    performer: [{ actor: { reference: urn('role') } }],
    authorizingPrescription: [{ identifier: { system: prescriptionId.system, value: prescriptionId.value } }],
    quantity: { value: dispensing.packages, unit: 'package', system: UCUM, code: '{package}' },
    whenHandedOver: dispensing.handedOver,
    substitution: { wasSubstituted: false },
    ...(request.dosageInstruction?.[0]?.text ? { dosageInstruction: [{ text: request.dosageInstruction[0].text }] } : {}),
  };
  return {
    resourceType: 'Bundle',
    type: 'collection',
    timestamp: dispensing.handedOver,
    entry: [
      { fullUrl: urn('dispense'), resource: dispense },
      { fullUrl: urn('medication'), resource: { ...copied(medication), meta: { profile: [MPD.medication] } } },
      { fullUrl: urn('organization'), resource: { resourceType: 'Organization', identifier: [pharmacy.org], name: pharmacy.name, address: [{ city: pharmacy.city, country: dispensing.country }] } },
      { fullUrl: urn('practitioner'), resource: { resourceType: 'Practitioner', identifier: [{ system: pharmacy.pharmacist.system, value: pharmacy.pharmacist.value }], name: [{ family: pharmacy.pharmacist.family, given: [pharmacy.pharmacist.given] }] } },
      { fullUrl: urn('role'), resource: { resourceType: 'PractitionerRole', practitioner: { reference: urn('practitioner') }, organization: { reference: urn('organization') }, code: [{ coding: [PHARMACIST_ROLE] }] } },
      { fullUrl: urn('patient'), resource: copied(patient) },
    ],
  };
}
