/**
 * Test helper: the HL7 Europe MPD 1.0.0 constraints of eu-formats.md §2.1 that go beyond base FHIR R4,
 * checked on a Bundle, plus "every reference resolves inside the Bundle".
 */
import type { Bundle, MedicationDispense, MedicationRequest, Reference, Resource } from '@medplum/fhirtypes';
import { EXTENSION, MPD_PROFILE } from '../terminology/fhir-systems.js';
import { references } from './bundle-references.js';

/** Violations, as `Bundle.entry[i].resource.<element>: what`; empty when the Bundle conforms. */
export function mpdViolations(bundle: Bundle): string[] {
  const out: string[] = [];
  const fullUrls = new Set((bundle.entry ?? []).map((e) => e.fullUrl));
  (bundle.entry ?? []).forEach((e, i) => {
    const at = `Bundle.entry[${i}]`;
    if (!e.fullUrl) out.push(`${at}.fullUrl: missing`);
    const r = e.resource as Resource | undefined;
    for (const ref of references(r)) if (!fullUrls.has(ref)) out.push(`${at}.resource: reference ${ref} does not resolve in the Bundle`);
    if (r?.resourceType === 'MedicationRequest') {
      const mr = r as MedicationRequest;
      if (!mr.meta?.profile?.includes(MPD_PROFILE.medicationRequest)) out.push(`${at}.resource.meta.profile: MedicationRequest-eu-mpd not declared`);
      if (!mr.authoredOn) out.push(`${at}.resource.authoredOn: required`);
      if (!mr.requester) out.push(`${at}.resource.requester: required`);
      if (!mr.subject) out.push(`${at}.resource.subject: required`);
      if (!mr.medicationReference && !mr.medicationCodeableConcept) out.push(`${at}.resource.medication[x]: required`);
      if (!mr.identifier?.length) out.push(`${at}.resource.identifier: must be populated`);
    }
    if (r?.resourceType === 'MedicationDispense') {
      const md = r as MedicationDispense;
      if (!md.meta?.profile?.includes(MPD_PROFILE.medicationDispense)) out.push(`${at}.resource.meta.profile: MedicationDispense-eu-mpd not declared`);
      if (!md.performer?.[0]?.actor) out.push(`${at}.resource.performer.actor: required`);
      if (!md.quantity) out.push(`${at}.resource.quantity: required`);
      if (!md.extension?.some((x) => x.url === EXTENSION.dispenseRecorded && x.valueDateTime)) out.push(`${at}.resource.extension[recorded]: required`);
      if (!md.medicationReference && !md.medicationCodeableConcept) out.push(`${at}.resource.medication[x]: required`);
      if (!md.authorizingPrescription?.length) out.push(`${at}.resource.authorizingPrescription: must be populated`);
      const ref = md.medicationReference as Reference | undefined;
      if (ref?.reference && !fullUrls.has(ref.reference)) out.push(`${at}.resource.medicationReference: does not resolve`);
    }
    if (r?.resourceType === 'Medication' && !(r as { code?: unknown }).code) out.push(`${at}.resource.code: must be populated`);
  });
  return out;
}
