/**
 * M10 Utleveringsrapport (namespace http://www.kith.no/xmlstds/eresept/m10/2013-10-08,
 * ER-M10-2013-10-08.xsd): the pharmacy's dispensing report to Reseptformidleren.
 */
import { KODEVERK } from '../../terminology/oids.js';
import { NS } from '../namespaces.js';
import { complex, many, one, opt, type InferItems } from '../schema/complex-type.js';
import { cs, mo } from '../schema/kith-datatypes.js';
import { bool, date, str } from '../schema/shorthand.js';
import { rekvirentPapir, utlevering } from './utlevering.js';

const ns = NS.m10;

/** How many `Egenandel` periods an M10 carries when it carries any (the XSD's fixed four). */
export const EGENANDEL_COUNT = 4;

/** `Egenandel`: the patient's co-payment in one period. */
export const egenandel = complex(ns, [one('StartEgenandelsperiode', date), one('BetaltEgenandel', mo)]);

/** `Utleveringsrapport`: the M10 document. Egenandel comes four times or not at all; annulment and cancellation exclude each other. */
export const utleveringsrapport = complex(ns, [
  one('Utlevering', utlevering, { ns: NS.utlevering }),
  opt('Kanselleringskode', cs(KODEVERK.kanselleringskode)),
  one('ReservasjonRapportFastlege', bool),
  opt('PrisLegemiddelUtenMt', mo),
  one('AnsattId', str),
  many('Egenandel', egenandel, { max: EGENANDEL_COUNT }),
  opt('Papirresept', bool),
  opt('RekvirentPapir', rekvirentPapir, { ns: NS.utlevering }),
], {
  check: (r, path, ctx) => {
    if (r.utlevering.annullering && r.kanselleringskode) {
      // Reseptformidleren's error 124: an annulment and a cancellation cannot share one message.
      ctx.issues.error('business-rule', `${path}/m10:Kanselleringskode`, 'an M10 cannot both annul (Annullering) and cancel (Kanselleringskode) a dispensing');
    }
    const n = r.egenandel?.length ?? 0;
    if (n !== 0 && n !== EGENANDEL_COUNT) {
      ctx.issues.error('structure', `${path}/m10:Egenandel`, `Egenandel occurs ${EGENANDEL_COUNT} times or not at all (found ${n})`);
    }
  },
});
/** A decoded M10 `Utleveringsrapport`. */
export type Utleveringsrapport = InferItems<typeof utleveringsrapport.items>;
