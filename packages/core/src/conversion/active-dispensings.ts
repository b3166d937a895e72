/**
 * Which earlier dispensings still count: the ones that are not annulments and have not been annulled.
 * Used wherever what is left of a prescription is computed.
 */

/** A dispensing record that may be, or may have been, annulled. */
export interface Annullable {
  readonly annulment: boolean;
  /** For an annulment: the id of the dispensing it annuls. */
  readonly annuls?: string;
}

/**
 * The dispensings that count, given how each is identified (the id an annulment refers to).
 * @example activeDispensings(previous, (d) => d.msgId).reduce((sum, d) => sum + d.quantity, 0)
 */
export function activeDispensings<T extends Annullable>(list: readonly T[], idOf: (d: T) => string): T[] {
  const annulled = new Set(list.filter((d) => d.annulment).map((d) => d.annuls));
  return list.filter((d) => !d.annulment && !annulled.has(idOf(d)));
}
