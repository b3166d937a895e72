/**
 * Utlevering (namespace http://www.kith.no/xmlstds/eresept/utlevering/2013-10-08,
 * ER-Utlevering-2013-10-08.xsd): one dispensing of a prescription, shared by M6, M8, M8.1, M10 and M20.
 * Facts: no-formats.md §1.4.
 */
import { KODEVERK } from '../../terminology/oids.js';
import { fk1OrganisationIdent, fk1PersonIdent } from '../felleskomponent1.js';
import { reseptDokHandelsvare, reseptDokLegemiddel } from '../m1/resept.js';
import { NS } from '../namespaces.js';
import { choice, complex, many, one, opt, type InferItems } from '../schema/complex-type.js';
import { cs, cv } from '../schema/kith-datatypes.js';
import { bool, date, str } from '../schema/shorthand.js';
import { childPath } from '../schema/xpath.js';

const ns = NS.utlevering;

/** `Utleverer`: the dispensing pharmacy (HER-id and name). */
export const utleverer = complex(ns, [one('HerId', fk1OrganisationIdent), one('Navn', str)]);

/** `Intervensjon`: a pharmacist's intervention, e.g. EndringsType V = "Valgt annen vare". */
export const intervensjon = complex(ns, [
  opt('Kode', cv(KODEVERK.grunnlagForIntervensjon)),
  opt('EndringsType', cs(KODEVERK.typeIntervensjon)),
  opt('KonfKunde', bool),
  opt('KonfLege', fk1PersonIdent),
  opt('Begrunnelse', str),
]);
/** A decoded `Intervensjon`. */
export type Intervensjon = InferItems<typeof intervensjon.items>;

/** `RekvirentPapir`: the prescriber of a paper prescription. */
export const rekvirentPapir = complex(ns, [
  opt('Ident', fk1PersonIdent),
  opt('Fornavn', str),
  opt('Etternavn', str),
  opt('Spesialitet', cv(KODEVERK.hprSpesialitet)),
  opt('Inst', str),
  opt('Dept', str),
  opt('RekvirentNordisk', bool),
  opt('InstitusjonsID', cv(), { key: 'institusjonsId' as const }),
]);

/** `Utlevering`: an annulment must say which dispensing it annuls. */
export const utlevering = complex(
  ns,
  [
    one('ReseptId', str),
    one('Utleveringsdato', date),
    one('Annullering', bool),
    opt('Avsluttet', cs(KODEVERK.jaNei)),
    opt('ByttereservasjonKunde', bool),
    opt('AnnulleringsId', str),
    opt('Batchnr', str),
    choice(
      [
        opt('ReseptDokLegemiddel', reseptDokLegemiddel, { ns: NS.m1 }),
        opt('ReseptDokHandelsvare', reseptDokHandelsvare, { ns: NS.m1 }),
      ],
      0,
    ),
    one('Utleverer', utleverer),
    many('Intervensjon', intervensjon),
  ],
  {
    check: (u, path, ctx) => {
      if (u.annullering && !u.annulleringsId) {
        ctx.issues.error('required', childPath(path, ns, 'AnnulleringsId'), 'an annulment (Annullering true) must name the dispensing it annuls in AnnulleringsId');
      }
      if (!u.annullering && !u.reseptDokLegemiddel && !u.reseptDokHandelsvare) {
        ctx.issues.error('required', `${path}/(m1:ReseptDokLegemiddel | m1:ReseptDokHandelsvare)`, 'a dispensing must say what was dispensed');
      }
    },
  },
);
/** A decoded `Utlevering`. */
export type Utlevering = InferItems<typeof utlevering.items>;
