/**
 * @ehds-no/core: the ehds-no library. Pure TypeScript: messages in, FHIR out; no HTTP, no database.
 */
export * from './identity/person-number.js';
export * from './terminology/oids.js';
export * from './terminology/code-systems.js';
export * from './eresept/namespaces.js';
export * from './eresept/issues.js';
export * from './eresept/messages.js';
export type { Resept, ReseptDokLegemiddel, ReseptDokHandelsvare } from './eresept/m1/resept.js';
export type { Utleveringsrapport } from './eresept/m10/utleveringsrapport.js';
export type { Utlevering, Intervensjon } from './eresept/m10/utlevering.js';
export type { Forskrivning, Dosering, Legemiddelpakning, LegemiddelMerkevare, LegemiddelVirkestoff, Legemiddelblanding } from './eresept/forskrivning.js';
export type { Ident, Organisation, Patient, HealthcareProfessional, MsgInfo } from './eresept/msghead.js';
export type { CS, CV, PQ, MO, TS } from './eresept/schema/kith-datatypes.js';
export type { CodeListLookup } from './eresept/schema/element-type.js';
export { EreseptXsdValidator, ERESEPT_SCHEMA_FILES } from './eresept/xsd-validator.js';
export { parseXml, DEFAULT_MAX_MESSAGE_BYTES, type ParseXmlOptions } from './eresept/xml/parse-xml.js';
export { validateEreseptMessage, type EreseptValidation, type ValidateMessageOptions } from './eresept/validate-message.js';
export * from './terminology/fhir-systems.js';
export { ConceptMapIndex, defaultConceptMaps, loadConceptMaps, type Translation, type Equivalence } from './terminology/concept-maps.js';
export { ConversionReport, type SourcePath } from './conversion/report.js';
export { convertM1ToEuPrescription, reseptIdIdentifier, type M1ToEuOptions, type ReleasedPrescription, type EuPrescriptionResult } from './conversion/m1-to-eu-prescription.js';
export {
  convertEuDispenseToM10, dispenseKey, DEFAULT_FOREIGN_PHARMACY,
  type StoredDispensing, type ForeignPharmacyIdentity, type EuDispenseToM10Options, type EuDispenseToM10Result, type RefusalKind,
} from './conversion/eu-dispense-to-m10.js';
export { ereseptIssuesToOutcome } from './eresept/issues-outcome.js';
export { entriesOfType, resolveInBundle, bundleFhirPath, type Located } from './conversion/fhir-bundle.js';
export { euPrescriptionView, ViewInputError, type PharmacyView, type ViewTerm, type ViewWarning, type ViewOptions, type EarlierDispensing } from './conversion/eu-prescription-view.js';
export { pharmacyViewHtml, escapeHtml } from './conversion/eu-prescription-html.js';
export { convertDispenseToEu, type DispenseToEuOptions, type DispenseToEuResult, type NorwegianDispensing } from './conversion/dispense-to-eu.js';
export { activeDispensings, type Annullable } from './conversion/active-dispensings.js';
export { patientIdentifier, IDENT_TYPE_SYSTEM } from './conversion/eu-parties.js';
export { loadResources } from './terminology/load-resources.js';
