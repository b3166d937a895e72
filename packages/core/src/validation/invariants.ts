/**
 * Invariants evaluated on the real Bundle, as compiled FHIRPath: the Bundle profile's own invariants
 * (Medplum sees the Bundle with its entries as stubs, see validate-fhir.ts) and the national document rules
 * that only make sense across entries. A failed invariant is reported at the entries that break it when
 * the rule says which ones (e.g. `Bundle.entry[4].resource.code` for eps-bundle-resource-code), otherwise
 * at `Bundle`.
 */
import { toTypedValue } from '@medplum/core';
import type { Bundle, BundleEntry, Composition, ElementDefinitionConstraint, Reference, StructureDefinition } from '@medplum/fhirtypes';
import { nativeInvariant } from './core-bundle-invariants.js';
import { invariantHolds } from './fhirpath-cache.js';
import { issue, type ValidationIssue } from './issues.js';

/** Invariant keys Medplum also leaves out (they need descendants() or are back-compat only). */
const SKIPPED = new Set(['ele-1', 'dom-3', 'org-1', 'sdf-19']);

/** Finds the entries that break an invariant: entry index → the element (below the entry) to point at. */
type Locator = (bundle: Bundle, constraint: ElementDefinitionConstraint) => { index: number; element: string; why?: string }[];

function oneEntry(bundle: Bundle, entry: BundleEntry): Bundle {
  return { resourceType: 'Bundle', type: bundle.type, entry: [entry] };
}

/** For "every entry of kind X has Y" rules: the entries for which the rule fails on their own. */
function perEntry(element: string, what: string): Locator {
  return (bundle, c) =>
    (bundle.entry ?? []).flatMap((entry, index) =>
      invariantHolds(c.expression ?? 'true', toTypedValue(oneEntry(bundle, entry))) ? [] : [{ index, element, why: `a ${entry.resource?.resourceType ?? 'resource'} needs ${what} (EPS)` }]);
}

/** Points at a Bundle element. */
function bundleElement(element: string, why: string): Locator {
  return () => [{ index: -1, element, why }];
}

const requests: Locator = (bundle) =>
  (bundle.entry ?? []).flatMap((e, index) => (e.request ? [{ index, element: '.request', why: `entry.request is only for batch, transaction and history Bundles, not ${bundle.type ?? 'this type'}` }] : []));

const compositionFirst: Locator = (bundle) => {
  const entries = bundle.entry ?? [];
  const first = entries[0]?.resource?.resourceType;
  if (first !== 'Composition') return [{ index: 0, element: '', why: `the first entry must be the Composition; it is ${first ? `a ${first}` : 'missing'}` }];
  return entries.flatMap((e, index) => (index > 0 && e.resource?.resourceType === 'Composition' ? [{ index, element: '', why: 'a document has one Composition, the first entry' }] : []));
};

const fullUrls: Locator = (bundle) => {
  const seen = new Set<string>();
  return (bundle.entry ?? []).flatMap((e, index) => {
    if (!e.fullUrl) return [{ index, element: '.fullUrl', why: 'every entry needs a fullUrl' }];
    if (seen.has(e.fullUrl)) return [{ index, element: '.fullUrl', why: `fullUrl ${e.fullUrl} is used by an earlier entry too` }];
    seen.add(e.fullUrl);
    return [];
  });
};

/** Where each known Bundle invariant points. */
const LOCATORS: Readonly<Record<string, Locator>> = {
  'bdl-ips-1': compositionFirst,
  'bdl-11': compositionFirst,
  'no-ps-bdl-fullurl': fullUrls,
  'bdl-7': fullUrls,
  'bdl-3': requests,
  'bdl-9': bundleElement('identifier', 'a document needs an identifier with a system and a value'),
  'bdl-10': bundleElement('timestamp', 'a document needs a timestamp'),
  'eps-bundle-resource-code': perEntry('.resource.code', 'code'),
  'eps-bundle-patient-ref': perEntry('.resource.patient', 'patient.reference'),
  'eps-bundle-subject-ref': perEntry('.resource.subject', 'subject.reference'),
};

/**
 * The invariants on the root element of `sd` (a Bundle profile, or the base Bundle), checked on `bundle`.
 * @param profileName how diagnostics name the profile
 */
export function bundleInvariantIssues(bundle: Bundle, sd: StructureDefinition, profileName: string): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  const typed = toTypedValue(bundle);
  const variables = { '%resource': typed, '%rootResource': typed };
  for (const c of sd.snapshot?.element?.[0]?.constraint ?? []) {
    if (!c.key || c.severity !== 'error' || SKIPPED.has(c.key) || !c.expression) continue;
    const native = nativeInvariant(c.expression);
    if (native ? native(bundle, bundle.entry ?? []) : invariantHolds(c.expression, typed, variables)) continue;
    const located = LOCATORS[c.key]?.(bundle, c) ?? [];
    const text = `${c.key}: ${c.human ?? c.expression} (${profileName})`;
    if (located.length === 0) out.push(issue('error', 'invariant', 'Bundle', text));
    for (const l of located) {
      const path = l.index < 0 ? `Bundle.${l.element}` : `Bundle.entry[${l.index}]${l.element}`;
      out.push(issue('error', 'invariant', path, l.why ? `${c.key}: ${l.why} (${profileName})` : text));
    }
  }
  return out;
}

/** A rule across the entries of a national patient summary, as FHIRPath on each entry's resource. */
interface DocumentRule {
  readonly key: string;
  readonly human: string;
  /** Evaluated on the resource with `%subject` = the Composition's subject reference. */
  readonly expression: string;
  /** Where below the entry's resource to point. */
  readonly element: string;
}

/** National rules across entries (documents checked against the national Bundle profile). */
const DOCUMENT_RULES: readonly DocumentRule[] = [
  {
    key: 'no-ps-same-patient',
    human: 'every entry is about the patient the Composition is about (subject or patient refers to the Composition\'s subject)',
    expression: '(subject.reference | patient.reference).all($this = %subject)',
    element: '',
  },
];

/** Checks {@link DOCUMENT_RULES} on every entry after the Composition. */
export function documentRuleIssues(bundle: Bundle): ValidationIssue[] {
  const composition = bundle.entry?.[0]?.resource as Composition | undefined;
  const subject = (composition?.subject as Reference | undefined)?.reference;
  if (composition?.resourceType !== 'Composition' || !subject) return [];
  // Only when the subject is the document's Patient; otherwise the subject itself is what is reported.
  if (!(bundle.entry ?? []).some((e) => e.fullUrl === subject && e.resource?.resourceType === 'Patient')) return [];
  const variables = { '%subject': toTypedValue(subject) };
  const out: ValidationIssue[] = [];
  (bundle.entry ?? []).forEach((entry, index) => {
    const resource = entry.resource;
    // Resources with neither subject nor patient have nothing to check.
    if (index === 0 || !resource || !('subject' in resource || 'patient' in resource)) return;
    const typed = toTypedValue(resource);
    for (const rule of DOCUMENT_RULES) {
      if (invariantHolds(rule.expression, typed, variables)) continue;
      const element = 'subject' in resource ? '.subject' : 'patient' in resource ? '.patient' : rule.element;
      out.push(issue('error', 'invariant', `Bundle.entry[${index}].resource${element}`, `${rule.key}: ${rule.human}`));
    }
  });
  return out;
}
