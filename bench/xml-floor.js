/**
 * The XML part of the benchmark floors: one saxes pass with namespaces, events only, the least any reader
 * of the message with the same parser does. Shared by the conversion and summary benches.
 */
import { SaxesParser } from 'saxes';

/** Parses `xml` and counts elements and text runs (so the pass cannot be optimised away). */
export function saxParse(xml) {
  const p = new SaxesParser({ xmlns: true });
  let n = 0;
  p.on('opentag', () => n++);
  p.on('text', () => n++);
  p.write(xml).close();
  return n;
}
