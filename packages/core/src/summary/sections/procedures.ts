/**
 * Procedures (LOINC 47519-4): procedures reported to NPR (NCSP-N, NCMP, NCRP) and KPR, collapsed when the
 * same code is reported for the same day by several episodes or registers (dedupe.ts). Every reported
 * procedure is included: the registers hold performed procedures only.
 */
import type { Procedure, Resource } from '@medplum/fhirtypes';
import { SYSTEM } from '../../terminology/fhir-systems.js';
import { collapseProcedures, registerItems } from '../dedupe.js';
import { snapshotOf, type SectionDefinition } from '../summary-model.js';
import { conceptText, dateText } from './cell-text.js';

/** The procedures section. */
export const proceduresSection: SectionDefinition = {
  code: { system: SYSTEM.loinc, code: '47519-4', display: 'History of Procedures Document' },
  title: { nb: 'Inngrep og andre gjennomførte prosedyrer', en: 'History of procedures' },
  columns: { nb: ['Prosedyre', 'Dato', 'Kode'], en: ['Procedure', 'Date', 'Code'] },
  build(ctx) {
    const items = registerItems([snapshotOf(ctx.outcomes.npr), snapshotOf(ctx.outcomes.kpr)], (r) => r.procedures);
    const entries = collapseProcedures(items).map((g) => {
      const procedure: Procedure = {
        resourceType: 'Procedure',
        status: 'completed',
        code: { coding: [...g.codings], text: conceptText({ coding: [...g.codings] }) },
        subject: { reference: ctx.patientRef },
        performedDateTime: g.firstSeen,
      };
      return { key: `procedure|${g.key}`, resource: procedure, related: [], records: g.records };
    });
    return { entries, sources: ['npr', 'kpr'] };
  },
  sortDate: (resource) => (resource as Procedure).performedDateTime,
  row(resource: Resource) {
    const p = resource as Procedure;
    const codes = (p.code?.coding ?? []).map((c) => c.code ?? '');
    return [conceptText(p.code), dateText(p.performedDateTime), codes.join(', ')];
  },
};
