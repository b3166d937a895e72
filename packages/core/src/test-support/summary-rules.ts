/**
 * Test helper: the IPS 2.0.1 / HL7 Europe EPS 1.0.0 rules of eu-formats.md §1 that go beyond base FHIR
 * R4, as FHIRPath compiled once (Medplum's engine), plus "every reference resolves inside the Bundle".
 */
import { parseFhirPath, toTypedValue, type FhirPathAtom } from '@medplum/core';
import type { Bundle } from '@medplum/fhirtypes';
import { references } from './bundle-references.js';

/** The six sections the Norwegian plan requires, in order. */
const SIX = "('46264-8' | '104605-1' | '48765-2' | '10160-0' | '11450-4' | '47519-4')";

/** Rule name → FHIRPath on the Bundle that must be true. */
const RULES: Readonly<Record<string, string>> = {
  'document type': "type = 'document' and identifier.exists() and timestamp.exists()",
  'bdl-ips-1 Composition first and only': 'entry.first().resource is Composition and entry.tail().where(resource is Composition).empty()',
  'exactly one Patient': 'entry.where(resource is Patient).count() = 1',
  'fullUrl on every entry': 'entry.all(fullUrl.exists() and resource.exists())',
  'no search/request/response': 'entry.all(search.empty() and request.empty() and response.empty())',
  'profiles declared': "meta.profile contains 'http://hl7.org/fhir/uv/ips/StructureDefinition/Bundle-uv-ips' and meta.profile contains 'http://hl7.eu/fhir/eps/StructureDefinition/bundle-eu-eps'",
  'Composition type 60591-5': "entry.first().resource.type.coding.where(system = 'http://loinc.org' and code = '60591-5').exists()",
  'Composition subject.reference': 'entry.first().resource.subject.reference.exists()',
  'six sections present': `entry.first().resource.section.code.coding.where(system = 'http://loinc.org').code.intersect(${SIX}).count() = 6`,
  'ips-comp-1 on every section': 'entry.first().resource.section.all(entry.reference.exists() or emptyReason.exists())',
  'section title, code and text': 'entry.first().resource.section.all(title.exists() and code.exists() and text.div.exists())',
  'eps-bundle-resource-code': 'entry.resource.ofType(Medication).all(code.exists())',
  'eps-bundle-patient-ref': 'entry.resource.ofType(AllergyIntolerance).all(patient.reference.exists())',
  'eps-bundle-subject-ref': 'entry.resource.where($this is Condition or $this is DeviceUseStatement or $this is Flag or $this is MedicationStatement or $this is Procedure or $this is Composition).all(subject.reference.exists())',
  'ips-pat-1 Patient name and birthDate': 'entry.resource.ofType(Patient).all(birthDate.exists() and name.exists())',
  'AllergyIntolerance code': 'entry.resource.ofType(AllergyIntolerance).all(code.exists())',
  'Condition code': 'entry.resource.ofType(Condition).all(code.exists())',
  'Procedure code and performed[x]': 'entry.resource.ofType(Procedure).all(code.exists() and performed.exists())',
  'MedicationStatement medication[x] and effective[x]': 'entry.resource.ofType(MedicationStatement).all(medication.exists() and effective.exists())',
  'DeviceUseStatement device and timing[x]': 'entry.resource.ofType(DeviceUseStatement).all(device.reference.exists() and timing.exists())',
  'Flag status active': "entry.resource.ofType(Flag).all(status = 'active' and code.exists())",
};

let compiled: [string, FhirPathAtom][] | undefined;

/** The names of the rules the summary document breaks; empty when it conforms. */
export function summaryRuleViolations(bundle: Bundle): string[] {
  compiled ??= Object.entries(RULES).map(([name, expr]) => [name, parseFhirPath(expr)]);
  const input = [toTypedValue(bundle)];
  const out: string[] = [];
  for (const [name, atom] of compiled) {
    const result = atom.eval({ variables: {} }, input);
    if (!(result.length === 1 && result[0]?.value === true)) out.push(name);
  }
  const fullUrls = new Set((bundle.entry ?? []).map((e) => e.fullUrl));
  const contained = (ref: string) => ref.startsWith('#');
  for (const ref of references(bundle.entry?.map((e) => e.resource))) if (!fullUrls.has(ref) && !contained(ref)) out.push(`reference ${ref} does not resolve in the Bundle`);
  return out;
}
