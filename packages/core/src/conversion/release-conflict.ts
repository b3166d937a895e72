/**
 * A prescription released to the EU does not change: an M1 sent again with its ReseptId is the same release
 * (a retry) or a conflict, never a silent update and never silently ignored. A changed prescription is a new
 * e-resept with a new ReseptId.
 */
import type { OperationOutcome } from '@medplum/fhirtypes';
import type { M1Message } from '../eresept/messages.js';
import type { ReleasedPrescription } from './m1-to-eu-prescription.js';
import { msgHeadXPath, reseptPath } from './m1-paths.js';
import { sameAsStored } from './same-as-stored.js';
import type { SourcePath } from './report.js';

type ReleasedContent = Exclude<keyof ReleasedPrescription, 'reseptId' | 'releasedAt'>;

/** Where each part of a release comes from in the M1, and what it is called in an answer. */
const RELEASED_FROM: Readonly<Record<ReleasedContent, { readonly what: string; readonly path: (m1: M1Message) => SourcePath }>> = {
  patient: { what: 'patient', path: () => ['msgInfo', 'patient'] },
  reseptformidleren: { what: 'receiver (Reseptformidleren)', path: () => ['msgInfo', 'receiver', 'organisation'] },
  reseptDokLegemiddel: { what: 'prescribed product, quantity, dosage or repeats', path: (m1) => [...reseptPath(m1), 'reseptDokLegemiddel'] },
  forskrivningsdato: { what: 'Forskrivningsdato', path: (m1) => [...reseptPath(m1), 'forskrivningsdato'] },
  utloper: { what: 'Utloper', path: (m1) => [...reseptPath(m1), 'utloper'] },
  tidligsteUtlevering: { what: 'TidligsteUtlevering', path: (m1) => [...reseptPath(m1), 'tidligsteUtlevering'] },
};

/**
 * Why an M1 cannot be released again: the stored release of its ReseptId differs from the one it gives, the
 * time of release aside. Undefined when they are the same release.
 * @param m1 the M1 sent again
 * @param stored the release stored for its ReseptId
 * @param fresh the release converting `m1` gives
 * @returns a conflict OperationOutcome located at the first part that differs (XPath)
 */
export function releaseConflict(m1: M1Message, stored: ReleasedPrescription, fresh: ReleasedPrescription): OperationOutcome | undefined {
  for (const [key, from] of Object.entries(RELEASED_FROM) as [ReleasedContent, (typeof RELEASED_FROM)[ReleasedContent]][]) {
    if (sameAsStored(stored[key], fresh[key])) continue;
    return {
      resourceType: 'OperationOutcome',
      issue: [{
        severity: 'error',
        code: 'conflict',
        diagnostics: `ReseptId ${fresh.reseptId} was released to the EU at ${stored.releasedAt} with another ${from.what}: a released prescription does not change (a changed prescription is a new e-resept with a new ReseptId). Nothing was stored.`,
        location: [msgHeadXPath().render(from.path(m1))],
      }],
    };
  }
  return undefined;
}
