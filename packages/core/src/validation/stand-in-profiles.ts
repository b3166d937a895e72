/**
 * Which of this project's profiles checks a resource that declares an IPS, EPS or MPD canonical.
 *
 * The IPS 2.0.1, HL7 Europe EPS 1.0.0 and MPD 1.0.0 packages cannot be loaded offline (no registry serves
 * them), so their rules are restated in the national profiles (profiles/fsh, docs/profiles.md). A resource
 * that claims an IPS/EPS profile is therefore checked against the national profile that restates it, which
 * is at least as strict: a summary for Norway must meet the national rules as well.
 */
import { IPS_EPS_PROFILE, MPD_PROFILE, NATIONAL_PROFILE } from '../terminology/fhir-systems.js';
import { SUMMARY_PROFILE } from '../summary/summary-codes.js';

/** Foreign canonical → the national profile used in its place. */
export const STAND_IN_PROFILES: ReadonlyMap<string, string> = new Map([
  [SUMMARY_PROFILE.ipsBundle, NATIONAL_PROFILE.bundle],
  [SUMMARY_PROFILE.epsBundle, NATIONAL_PROFILE.bundle],
  [SUMMARY_PROFILE.ipsComposition, NATIONAL_PROFILE.composition],
  [SUMMARY_PROFILE.epsComposition, NATIONAL_PROFILE.composition],
  [IPS_EPS_PROFILE.ipsPatient, NATIONAL_PROFILE.patient],
  [IPS_EPS_PROFILE.epsPatient, NATIONAL_PROFILE.patient],
  [IPS_EPS_PROFILE.ipsAllergyIntolerance, NATIONAL_PROFILE.allergyIntolerance],
  [IPS_EPS_PROFILE.epsAllergyIntolerance, NATIONAL_PROFILE.allergyIntolerance],
  [IPS_EPS_PROFILE.ipsCondition, NATIONAL_PROFILE.condition],
  [IPS_EPS_PROFILE.epsCondition, NATIONAL_PROFILE.condition],
  [IPS_EPS_PROFILE.ipsProcedure, NATIONAL_PROFILE.procedure],
  [IPS_EPS_PROFILE.epsProcedure, NATIONAL_PROFILE.procedure],
  [IPS_EPS_PROFILE.ipsMedicationStatement, NATIONAL_PROFILE.medicationStatement],
  [IPS_EPS_PROFILE.epsMedicationStatement, NATIONAL_PROFILE.medicationStatement],
  [IPS_EPS_PROFILE.ipsMedication, NATIONAL_PROFILE.medication],
  [IPS_EPS_PROFILE.epsMedication, NATIONAL_PROFILE.medication],
  [IPS_EPS_PROFILE.ipsDevice, NATIONAL_PROFILE.device],
  [IPS_EPS_PROFILE.epsDevice, NATIONAL_PROFILE.device],
  [IPS_EPS_PROFILE.ipsDeviceUseStatement, NATIONAL_PROFILE.deviceUseStatement],
  [IPS_EPS_PROFILE.epsDeviceUseStatement, NATIONAL_PROFILE.deviceUseStatement],
  [IPS_EPS_PROFILE.ipsFlag, NATIONAL_PROFILE.flag],
  [IPS_EPS_PROFILE.epsFlag, NATIONAL_PROFILE.flag],
  [MPD_PROFILE.medicationRequest, NATIONAL_PROFILE.mpdMedicationRequest],
  [MPD_PROFILE.medicationDispense, NATIONAL_PROFILE.mpdMedicationDispense],
  [MPD_PROFILE.medication, NATIONAL_PROFILE.mpdMedication],
]);
