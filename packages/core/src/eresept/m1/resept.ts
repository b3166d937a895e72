/**
 * M1 Resept (namespace http://www.kith.no/xmlstds/eresept/m1/2013-10-08, ER-M1-2013-10-08.xsd): the
 * prescription a prescriber sends to Reseptformidleren. Its ReseptId is the enclosing MsgHead's MsgId.
 * Facts: no-formats.md §1.2.
 */
import { KODEVERK } from '../../terminology/oids.js';
import { fk1Address, fk1OrganisationIdent, fk1PersonIdent } from '../felleskomponent1.js';
import {
  brystprotese, forskrivning, medForbMatr, naringsmiddel,
} from '../forskrivning.js';
import { NS } from '../namespaces.js';
import { choice, complex, extend, one, opt, type InferItems } from '../schema/complex-type.js';
import type { DecodeContext } from '../schema/element-type.js';
import { cs, cv, pq } from '../schema/kith-datatypes.js';
import { bool, date, dateTime, decimal, int, str } from '../schema/shorthand.js';
import { childPath } from '../schema/xpath.js';

const ns = NS.m1;

/** `typeReseptDok`: what every prescription document starts with. */
export const typeReseptDok = complex(ns, [
  one('Varegruppekode', cs(KODEVERK.varegruppe)),
  opt('Antall', decimal),
  opt('Merknad', str),
  opt('RefHjemmel', cv(KODEVERK.refusjonshjemmel)),
]);

/**
 * Counts of a prescription document that cannot be negative. The XSD types (Antall xs:decimal, Reiterasjon
 * xs:int) allow negatives, but a negative count is no prescription: it would become an invalid FHIR
 * `numberOfRepeatsAllowed` (unsignedInt) and make every dispensation "more than is left".
 */
function checkCounts(dok: { readonly antall?: number; readonly reiterasjon?: number }, path: string, ctx: DecodeContext): void {
  if (dok.antall !== undefined && dok.antall < 0) {
    ctx.issues.error('business-rule', childPath(path, ns, 'Antall'), `Antall (number of packages) is ${dok.antall}; it cannot be negative`);
  }
  if (dok.reiterasjon !== undefined && dok.reiterasjon < 0) {
    ctx.issues.error('business-rule', childPath(path, ns, 'Reiterasjon'), `Reiterasjon (number of repeats) is ${dok.reiterasjon}; it cannot be negative`);
  }
}

/** `LegemiddelUtenMt`: an unlicensed product. */
export const legemiddelUtenMt = complex(ns, [one('Begrunnelse', str), one('Produsent', str), one('DirektesoknadSlv', bool)]);

/** `ReseptDokLegemiddel`: a prescription of a medicinal product (also what an M10 says was dispensed). */
export const reseptDokLegemiddel = extend(typeReseptDok, [
  opt('KomLegemdlAdm', str),
  opt('RefKode', cv(KODEVERK.icpc2, KODEVERK.icd10, KODEVERK.refusjonskoderIcpc, KODEVERK.refusjonskoderIcd)),
  one('Reiterasjon', int),
  opt('BytteresRekvirent', cs(KODEVERK.jaNei)),
  opt('Mengde', pq),
  opt('LegemiddelUtenMt', legemiddelUtenMt),
  one('Forskrivning', forskrivning, { ns: NS.forskrivning }),
], { check: checkCounts });
/** A decoded `ReseptDokLegemiddel`. */
export type ReseptDokLegemiddel = InferItems<typeof reseptDokLegemiddel.items>;

/** `ReseptDokHandelsvare`: a prescription of a medical device or nutrition product. */
export const reseptDokHandelsvare = extend(typeReseptDok, [
  opt('Bruksveiledning', str),
  opt('ProdGruppe', cv(KODEVERK.produktgruppe)),
  choice(
    [
      opt('Brystprotese', brystprotese, { ns: NS.forskrivning }),
      opt('Naringsmiddel', naringsmiddel, { ns: NS.forskrivning }),
      opt('MedForbMatr', medForbMatr, { ns: NS.forskrivning }),
    ],
    0,
  ),
], { check: checkCounts });
/** A decoded `ReseptDokHandelsvare`. */
export type ReseptDokHandelsvare = InferItems<typeof reseptDokHandelsvare.items>;

/** `Organisasjon` of `Instituert`. */
export const organisasjon = complex(ns, [one('HerId', fk1OrganisationIdent), opt('Inst', str), opt('Dept', str), opt('InstitusjonsID', cv(), { key: 'institusjonsId' as const })]);
/** `Helseperson` of `Instituert`. */
export const helseperson = complex(ns, [one('HprId', fk1PersonIdent), opt('Fornavn', str), opt('Etternavn', str), opt('Spesialitet', cv(KODEVERK.hprSpesialitet))]);
/** `Instituert`: the institution and doctor who started the treatment. */
export const instituert = complex(ns, [opt('Organisasjon', organisasjon), opt('Helseperson', helseperson)]);

/** `EkspAnm`: a dispensing request to a named pharmacy. */
export const ekspAnm = complex(ns, [
  one('Vilkar', bool),
  one('MetodeEkspedering', cs()),
  one('Utleverer', str),
  one('Kontaktperson', str),
  opt('Adresse', fk1Address),
  opt('Merknad', str),
  one('OrgNrUtleverer', str),
  one('UtlevererNavn', str),
]);

/** `EEA`: the EEA document a foreign patient presented. */
export const eea = complex(ns, [
  one('EEADok', cs(), { key: 'eeaDok' as const }),
  opt('EEACardId', str, { key: 'eeaCardId' as const }),
  opt('EEAId', str, { key: 'eeaId' as const }),
  opt('EEATrygdekontorNavn', str, { key: 'eeaTrygdekontorNavn' as const }),
  opt('EEATrygdekontorNr', str, { key: 'eeaTrygdekontorNr' as const }),
  opt('EEAGyldighetFra', date, { key: 'eeaGyldighetFra' as const }),
  opt('EEAGyldighet', date, { key: 'eeaGyldighet' as const }),
]);

/** `Utlending`: the patient is a foreigner. */
export const utlending = complex(ns, [opt('ArbeidstakerNorge', bool), opt('Konvensjonsland', cs()), opt('EEA', eea, { key: 'eea' as const })]);

/** `Resept`: the M1 document. Utloper may not be before Forskrivningsdato. */
export const resept = complex(
  ns,
  [
    one('Forskrivningsdato', date),
    one('Utloper', date),
    opt('Vernepliktig', bool),
    opt('SoktIndividRefusjon', bool),
    opt('Frikort', bool),
    opt('Vergeinnsynsreservasjon', bool),
    opt('TilEgenPraksis', bool),
    opt('RekvLegensNavn', bool),
    opt('RefNr', str),
    opt('Spesialitet', cv(KODEVERK.hprSpesialitet)),
    choice([opt('ReseptDokLegemiddel', reseptDokLegemiddel), opt('ReseptDokHandelsvare', reseptDokHandelsvare)]),
    opt('Instituert', instituert),
    opt('EkspAnm', ekspAnm),
    opt('Utlending', utlending),
    one('OppdatertFest', dateTime),
    opt('TidligsteUtlevering', date),
    opt('UtskrevetSykehus', bool),
    opt('LastResept', bool),
  ],
  {
    check: (r, path, ctx) => {
      if (r.utloper.slice(0, 10) < r.forskrivningsdato.slice(0, 10)) {
        ctx.issues.error('business-rule', childPath(path, ns, 'Utloper'), `Utloper ${r.utloper} is before Forskrivningsdato ${r.forskrivningsdato}`);
      }
      if (r.lastResept && !r.refNr) {
        ctx.issues.error('required', childPath(path, ns, 'RefNr'), 'a locked prescription (LastResept) must have RefNr');
      }
    },
  },
);
/** A decoded M1 `Resept`. */
export type Resept = InferItems<typeof resept.items>;
