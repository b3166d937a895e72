/**
 * @ehds-no/core: the ehds-no library. Pure TypeScript: messages in, FHIR out; no HTTP, no database.
 */
export * from './identity/person-number.js';
export * from './json-object.js';
export * from './calendar/days-in-month.js';
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
export { releaseConflict } from './conversion/release-conflict.js';
export { sameEuDispensing, sameUtlevering } from './conversion/resent-dispensing.js';
export {
  authorizingReseptId, convertEuDispenseToM10, dispenseKey, DEFAULT_FOREIGN_PHARMACY,
  type StoredDispensing, type ForeignPharmacyIdentity, type EuDispenseToM10Options, type EuDispenseToM10Result, type RefusalKind,
} from './conversion/eu-dispense-to-m10.js';
export { ereseptIssuesToOutcome } from './eresept/issues-outcome.js';
export { entriesOfType, resolveInBundle, bundleFhirPath, type Located } from './conversion/fhir-bundle.js';
export { preloadFhirReading, readFhirResource, type ReadFhirResult, type ReadFhirOptions } from './validation/fhir-json-shape.js';
export { preloadReferenceData, preloadValidation } from './preload-reference-data.js';
export { euPrescriptionView, ViewInputError, type PharmacyView, type ViewTerm, type ViewWarning, type ViewOptions, type EarlierDispensing } from './conversion/eu-prescription-view.js';
export { pharmacyViewHtml, escapeHtml } from './conversion/eu-prescription-html.js';
export { euPrescriptionIdentifier } from './conversion/eu-prescription-id.js';
export { convertDispenseToEu, type DispenseToEuOptions, type DispenseToEuResult, type NorwegianDispensing } from './conversion/dispense-to-eu.js';
export { activeDispensings, type Annullable } from './conversion/active-dispensings.js';
export { patientIdentifier, IDENT_TYPE_SYSTEM } from './conversion/eu-parties.js';
export { loadResources } from './terminology/load-resources.js';
export * from './summary/sources/source-data.js';
export type * from './summary/sources/register-record.js';
export {
  ResilientSource, CircuitBreaker, SourceFailure, resilientSources, fetchAllSources, systemClock, timedOutReason, httpStatusReason,
  FAILURE_REASON, DEFAULT_RESILIENCE,
  type Clock, type SnapshotCache, type SourcePorts, type ResilientSources, type ResilienceOptions, type BreakerState,
  type SourceFetchObserver, type SourceFetchObservation, type SourceFetchResult, type FetchAllOptions,
} from './summary/sources/resilient-source.js';
export { inMemorySourcePorts, sourcePortsOver, PatientSourceStore, InMemorySnapshotCache, EMPTY_SOURCE_DATA } from './summary/sources/in-memory-sources.js';
export {
  answerIsAbout, identifiesPerson, kjernejournalIsAbout, pllIsAbout, reseptformidlerenIsAbout, registerIsAbout, m1PatientIdentifiers, PATIENT_CHECKS, PERSON_ELEMENT,
} from './summary/sources/patient-match.js';
export {
  buildChangeNotification, readChangeNotification,
  type ChangeNotificationInput, type ChangeNotificationResult, type NotificationIssue,
} from './summary/sources/change-notification.js';
export { assembleSummary, remark, type AssembleInput, type AssembledSummary } from './summary/assemble.js';
export { renderSummary } from './summary/narrative.js';
export { PatientSummaryService, UnknownSummaryEntry, type SummaryServiceDeps, type ServedSummary } from './summary/summary-service.js';
export { InMemorySummaryStore, versionAt, versionedBundle, type SummaryStore, type SummaryVersion, type SummaryCandidate } from './summary/versioning.js';
export { applyMarks, markOf, type Clinician, type RelevanceMark } from './summary/relevance-marks.js';
export { provenanceRecords } from './summary/provenance.js';
export { SUMMARY_LANGUAGES, type SummaryLanguage, type SummaryPatient, type SourceRecordRef } from './summary/summary-model.js';
export { SUPPORTED_SUMMARY_PROFILES, SUMMARY_PROFILE, SUMMARY_EXTENSION, KNOWN_ABSENCE, KJ_CATEGORY, PATIENT_SUMMARY_TYPE } from './summary/summary-codes.js';
export { validateRegisterData, type RegisterDataValidation, type RegisterDataIssue } from './summary/sources/register-data-validation.js';
export { loadPatientFolder, loadPatientFolders, PATIENTS_ROOT, PatientFolderError } from './summary/sources/patient-folders.js';
export { FhirValidator, type FhirValidationOptions } from './validation/validate-fhir.js';
export { validateEreseptXml, type EreseptXmlValidationOptions } from './validation/validate-eresept.js';
export { validatePayload, parseFhirJson, jsonLineColumn, guessFormat, type PayloadFormat, type PayloadValidationOptions } from './validation/validate-payload.js';
export { ProfileRegistry, defaultProfileRegistry, GENERATED_PROFILES_DIR, type LoadedProfile, type ProfileResolution } from './validation/profile-registry.js';
export { STAND_IN_PROFILES } from './validation/stand-in-profiles.js';
export { isFhirResourceType } from './validation/base-definitions.js';
export { hasErrors, issueLine, placePath, type ValidationIssue } from './validation/issues.js';
export { runValidateCommand, VALIDATE_USAGE, VALIDATE_EXIT, type ValidateCommandIo, type ValidateCommandResult, type FileOutcome } from './validation/validate-command.js';
