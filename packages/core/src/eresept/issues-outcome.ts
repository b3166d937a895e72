/**
 * e-resept issues as a FHIR OperationOutcome: the XPath goes in `location` (the element for XML
 * locations), the message in `diagnostics`.
 */
import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';
import type { EreseptIssue, EreseptIssueCode } from './issues.js';

const FHIR_CODE: Record<EreseptIssueCode, OperationOutcomeIssue['code']> = {
  malformed: 'structure',
  security: 'security',
  'too-costly': 'too-costly',
  structure: 'structure',
  required: 'required',
  value: 'value',
  'code-invalid': 'code-invalid',
  'business-rule': 'business-rule',
};

/**
 * Converts issues found in an e-resept message.
 * @example ereseptIssuesToOutcome(readM1(xml).issues)
 */
export function ereseptIssuesToOutcome(issues: readonly EreseptIssue[]): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: issues.map((i) => ({ severity: i.severity, code: FHIR_CODE[i.code], diagnostics: i.message, location: [i.xpath] })),
  };
}
