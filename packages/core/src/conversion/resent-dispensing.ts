/**
 * A dispensing sent again under the identity of a stored one (an EU dispensation's identifier and status,
 * an M10's MsgId) is a retry only when it says the same. Otherwise the sender has changed a dispensing that
 * was already passed on: the service refuses it rather than answer with the stored one and drop the change
 * (a correction annuls the dispensing and sends a new one).
 */
import { isDeepStrictEqual } from 'node:util';
import type { Bundle } from '@medplum/fhirtypes';
import { readM10 } from '../eresept/messages.js';

/** A value as it is stored (JSON): absent optional parts leave no key behind. */
const asStored = (value: unknown): unknown => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));

/**
 * The Utlevering an M10 reports, without Avsluttet: whether the prescription is fully dispensed depends on
 * the dispensings stored since, not on this one.
 */
function utleveringOf(m10Xml: string): unknown {
  // Both M10s were written by the service; synthetic test identities in them were accepted when they were.
  const read = readM10(m10Xml, { allowSyntheticIdentities: true });
  if (!read.ok) return undefined;
  const utlevering = asStored(read.message.utleveringsrapport.utlevering) as Record<string, unknown>;
  delete utlevering.avsluttet;
  return utlevering;
}

/**
 * True when two M10s report the same Utlevering (date, product, quantity, annulment, pharmacy), Avsluttet
 * aside: an EU dispensation sent again converts to the M10 already stored.
 * @param storedXml the M10 stored for the dispensation
 * @param freshXml the M10 the dispensation sent again converts to
 */
export function sameUtlevering(storedXml: string, freshXml: string): boolean {
  const stored = utleveringOf(storedXml);
  return stored !== undefined && isDeepStrictEqual(stored, utleveringOf(freshXml));
}

/** What an EU eDispensation says of the dispensing itself: its MedicationDispense and Medication. */
function dispensingOf(bundle: Bundle): unknown {
  return asStored((bundle.entry ?? []).flatMap((e) => (e.resource?.resourceType === 'MedicationDispense' || e.resource?.resourceType === 'Medication' ? [e.resource] : [])));
}

/**
 * True when two EU eDispensations say the same of the dispensing (MedicationDispense and Medication): an M10
 * sent again converts to the eDispensation already stored.
 * @param stored the eDispensation stored for the M10's MsgId
 * @param fresh the eDispensation the M10 sent again converts to
 */
export function sameEuDispensing(stored: Bundle, fresh: Bundle): boolean {
  return isDeepStrictEqual(dispensingOf(stored), dispensingOf(fresh));
}
