/**
 * The six sections of the national patient summary, in the order the Directorate lists them.
 */
import type { SectionDefinition } from '../summary-model.js';
import { alertsSection } from './alerts.js';
import { allergiesSection } from './allergies.js';
import { devicesSection } from './devices.js';
import { medicationsSection, type MedicationSectionOptions } from './medications.js';
import { problemsSection } from './problems.js';
import { proceduresSection } from './procedures.js';

/**
 * The six sections: medical devices and implants, alerts, allergies and intolerances, medication
 * summary, problems, procedures.
 */
export function summarySections(options: MedicationSectionOptions): readonly SectionDefinition[] {
  return [devicesSection, alertsSection, allergiesSection, medicationsSection(options), problemsSection, proceduresSection];
}

let readOnly: readonly SectionDefinition[] | undefined;

/**
 * The section definition for a LOINC section code, for reading a stored summary (rows, ordering); its
 * `build` is not used there.
 */
export function sectionByCode(code: string | undefined): SectionDefinition | undefined {
  readOnly ??= summarySections({ allowSyntheticIdentities: false });
  return readOnly.find((d) => d.code.code === code);
}
