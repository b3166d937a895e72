/**
 * Whether a FHIR Quantity counts packages: the unit a dispensing is counted in against a prescription
 * (Norwegian Antall, the EU prescribed quantity in `{package}`).
 */
import type { Quantity } from '@medplum/fhirtypes';

/** Codes and unit texts that mean "package" (UCUM annotation, English, Norwegian). */
const PACKAGE_UNITS: ReadonlySet<string> = new Set(['{package}', 'package', 'packages', 'pakning', 'pakninger', 'pk']);

/**
 * True when `q` is a number of packages, by its code or its unit text.
 * @example isPackageQuantity({ value: 2, code: '{package}' }) // true
 */
export function isPackageQuantity(q: Quantity): boolean {
  return PACKAGE_UNITS.has((q.code ?? '').toLowerCase()) || PACKAGE_UNITS.has((q.unit ?? '').toLowerCase());
}
