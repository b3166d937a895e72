/**
 * A dispensing sent again under the identity of a stored one (an EU dispensation's identifier and status,
 * an M10's MsgId) is a retry only when it says the same. Otherwise the sender has changed a dispensing that
 * was already passed on: the service refuses it rather than answer with the stored one and drop the change
 * (a correction annuls the dispensing and sends a new one).
 */
import type { Bundle } from '@medplum/fhirtypes';
import { readM10 } from '../eresept/messages.js';
import { sameAsStored } from './same-as-stored.js';

/**
 * The Utlevering an M10 reports, without Avsluttet: whether the prescription is fully dispensed depends on
 * the dispensings stored since, not on this one.
 */
function utleveringOf(m10Xml: string): unknown {
  // Both M10s were written by the service; synthetic test identities in them were accepted when they were.
  const read = readM10(m10Xml, { allowSyntheticIdentities: true });
  return read.ok ? { ...read.message.utleveringsrapport.utlevering, avsluttet: undefined } : undefined;
}

/**
 * True when two M10s report the same Utlevering (date, product, quantity, annulment, pharmacy), Avsluttet
 * aside: an EU dispensation sent again converts to the M10 already stored.
 * @param storedXml the M10 stored for the dispensation
 * @param freshXml the M10 the dispensation sent again converts to
 */
export function sameUtlevering(storedXml: string, freshXml: string): boolean {
  const stored = utleveringOf(storedXml);
  return stored !== undefined && sameAsStored(stored, utleveringOf(freshXml));
}

/** What an EU eDispensation says of the dispensing itself: its MedicationDispense and Medication. */
function dispensingOf(bundle: Bundle): unknown[] {
  return (bundle.entry ?? []).map((e) => e.resource).filter((r) => r?.resourceType === 'MedicationDispense' || r?.resourceType === 'Medication');
}

/**
 * True when two EU eDispensations say the same of the dispensing (MedicationDispense and Medication): an M10
 * sent again converts to the eDispensation already stored.
 * @param stored the eDispensation stored for the M10's MsgId
 * @param fresh the eDispensation the M10 sent again converts to
 */
export function sameEuDispensing(stored: Bundle, fresh: Bundle): boolean {
  return sameAsStored(dispensingOf(stored), dispensingOf(fresh));
}
