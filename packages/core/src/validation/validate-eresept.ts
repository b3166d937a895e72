/**
 * Norwegian e-resept XML (M1, M10) through the same door as FHIR: the e-resept layer's own validation
 * (structure, types, code lists, identities, message rules) and the official XSDs when a validator is
 * given, as an OperationOutcome located by XPath (`location`).
 */
import type { OperationOutcome } from '@medplum/fhirtypes';
import { ereseptIssuesToOutcome } from '../eresept/issues-outcome.js';
import { validateEreseptMessage } from '../eresept/validate-message.js';
import type { EreseptXsdValidator } from '../eresept/xsd-validator.js';

/** Options of {@link validateEreseptXml}. */
export interface EreseptXmlValidationOptions {
  /** The official XSDs (EreseptXsdValidator.load(ERESEPT_XSD_DIR)); without it only the project's rules run. */
  readonly xsd?: EreseptXsdValidator;
  /** Accept synthetic test person numbers (month + 80): test environments only. */
  readonly allowSyntheticIdentities?: boolean;
}

/**
 * Validates an M1 or M10 message.
 * @example validateEreseptXml(xml, { xsd }).issue?.[0]?.location // ['/mh:MsgHead/mh:MsgInfo/mh:MsgId']
 */
export function validateEreseptXml(xml: string | Uint8Array, options: EreseptXmlValidationOptions = {}): OperationOutcome {
  const result = validateEreseptMessage(xml, {
    ...(options.xsd ? { xsd: options.xsd } : {}),
    allowSyntheticIdentities: options.allowSyntheticIdentities ?? false,
  });
  if (result.issues.length > 0) return ereseptIssuesToOutcome(result.issues);
  return {
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'information', code: 'informational', location: ['/'], diagnostics: `No issues found (${result.kind ?? 'message'}${options.xsd ? ', official XSDs included' : ', official XSDs not configured'})` }],
  };
}
