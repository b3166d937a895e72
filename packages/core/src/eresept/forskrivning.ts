/**
 * Forskrivning (namespace http://www.kith.no/xmlstds/eresept/forskrivning/2013-10-08,
 * Forskrivning-2013-10-08.xsd): what is prescribed and how it is to be taken. Shared by M1 (the
 * prescription) and M10 (what was dispensed). Facts: no-formats.md §1.3.
 */
import { KODEVERK } from '../terminology/oids.js';
import { choice, complex, extend, many, one, oneOrMore, opt, type InferItems } from './schema/complex-type.js';
import type { DecodeContext } from './schema/element-type.js';
import { cs, cv, mo, pq, ts, url, type PQ } from './schema/kith-datatypes.js';
import { bool, date, decimal, duration, id, int, str, time } from './schema/shorthand.js';
import { xsStringWithoutSpace } from './schema/simple-types.js';
import { textElement } from './schema/text-element.js';
import { childPath } from './schema/xpath.js';
import { NS } from './namespaces.js';

const ns = NS.forskrivning;

/** `Refusjon`: reimbursement groups a product belongs to (FEST). */
export const refusjon = complex(ns, [
  oneOrMore('RefRefusjonsgruppe', id),
  one('GyldigFraDato', date),
  opt('ForskrivesTilDato', date),
  opt('UtleveresTilDato', date),
]);

/** `AdministreringForskrivning`: who administers and how. */
export const administreringForskrivning = complex(ns, [
  one('AdmVed', cs()),
  one('AdmMate', cs()),
  opt('AdmEtterSkjema', bool),
  opt('AdmSkjema', str),
]);

/** `Infusjonshastighet`. */
export const infusjonshastighet = complex(ns, [one('Volum', pq), one('Tidsenhet', cs())]);

const doseItems = [one('Mengde', pq), opt('Intervall', pq), opt('Infusjonshastighet', infusjonshastighet)] as const;

/** What an amount of a dose measures, for the refusal's wording. */
type AmountKind = 'time span' | 'dose';

/**
 * An amount of a dose: a time span (`Intervall`, `Tidsrom`, `DoseIntervallMin`) or a dose (`Mengde`,
 * `DoseDognMaks`, `DoseTidsromMaks`) must be a finite number, greater than zero unless `zeroAllowed`.
 * kith:PQ's V is an xs:double, which also allows negatives, INF and NaN; none of them is a time between
 * doses or an amount to take, and FHIR (`Timing.repeat.period`, a dose quantity) cannot carry them.
 */
function checkAmount(amount: PQ | undefined, local: string, kind: AmountKind, zeroAllowed: boolean, path: string, ctx: DecodeContext): void {
  const v = amount?.v;
  if (v === undefined || (Number.isFinite(v) && (v > 0 || (zeroAllowed && v === 0)))) return;
  ctx.issues.error('business-rule', `${childPath(path, ns, local)}/@V`,
    `${local} is ${v}${amount?.u ? ` ${amount.u}` : ''}; a ${kind} must be ${zeroAllowed ? 'zero or more' : 'greater than zero'}`);
}

/** The checks every dose shares: its amount and the interval it repeats at. */
function checkDose(d: { mengde: PQ; intervall?: PQ }, path: string, ctx: DecodeContext): void {
  checkAmount(d.mengde, 'Mengde', 'dose', false, path, ctx);
  checkAmount(d.intervall, 'Intervall', 'time span', false, path, ctx);
}

/** `FastDose`: fixed weekdays, or days on / days off. */
export const fastDose = complex(ns, [many('FasteUkedager', cs()), opt('DagerPa', int), opt('DagerAv', int)]);

/** `DoseFastTidspunkt`: a dose at a fixed time of day. */
export const doseFastTidspunkt = complex(ns, [
  ...doseItems,
  opt('Klokkeslett', time),
  opt('Tidsomrade', cs(KODEVERK.tidspunktPaDagen)),
  one('GisEksakt', bool),
  opt('FastDose', fastDose),
], { check: checkDose });

/** `DoseEtterBehov`: a dose when needed, with maximums. */
export const doseEtterBehov = complex(ns, [
  ...doseItems,
  one('DoseDognMaks', pq),
  one('DoseTidsromMaks', pq),
  one('Tidsrom', pq),
  one('DoseIntervallMin', pq),
], {
  check: (d, path, ctx) => {
    checkDose(d, path, ctx);
    checkAmount(d.doseDognMaks, 'DoseDognMaks', 'dose', false, path, ctx);
    checkAmount(d.doseTidsromMaks, 'DoseTidsromMaks', 'dose', false, path, ctx);
    checkAmount(d.tidsrom, 'Tidsrom', 'time span', false, path, ctx);
    // "At least 0 hours between doses" says no minimum: odd, but not wrong.
    checkAmount(d.doseIntervallMin, 'DoseIntervallMin', 'time span', true, path, ctx);
  },
});

/** `Doseringsregel`. */
export const doseringsregel = complex(ns, [one('DoseresEtter', cs()), opt('Merknad', str)]);

/** `Dosering`: one structured dosage period. */
export const dosering = complex(ns, [
  opt('Starttidspunkt', ts),
  opt('Sluttidspunkt', ts),
  opt('Doseringsregel', doseringsregel),
  choice([oneOrMore('DoseFastTidspunkt', doseFastTidspunkt), oneOrMore('DoseEtterBehov', doseEtterBehov)]),
]);
/** A decoded `Dosering`. */
export type Dosering = InferItems<typeof dosering.items>;

/** `AdministreringLegemiddel`: routes, dosing units and handling of a product. */
export const administreringLegemiddel = complex(ns, [
  opt('Blandingsveske', bool),
  many('RefBlandingsveske', id),
  oneOrMore('Administrasjonsvei', cv(KODEVERK.administrasjonsvei)),
  opt('KanKnuses', cs()),
  opt('KanApnes', cs()),
  opt('Bolus', cs()),
  opt('InjeksjonshastighetBolus', cs()),
  opt('Deling', cs()),
  many('EnhetDosering', cv(KODEVERK.enhetForDosering)),
  many('Kortdose', cv(KODEVERK.kortdose)),
  many('ForhandsregelInntak', cv(KODEVERK.forholdsregelVedInntak)),
  many('BruksomradeEtikett', cv()),
  opt('DosEnhetForordning', cv()),
]);

/** `PakningByttegruppe`. */
export const pakningByttegruppe = complex(ns, [one('RefByttegruppe', id), opt('GyldigFraDato', date), opt('GyldigTilDato', date)]);

/** `typeLegemiddel`: the header common to every product kind. */
export const typeLegemiddel = complex(ns, [
  opt('Atc', cv(KODEVERK.atc)),
  one('NavnFormStyrke', str),
  one('Reseptgruppe', cs(KODEVERK.reseptgruppe)),
  opt('LegemiddelformKort', cv(KODEVERK.legemiddelform)),
  many('RefVilkar', id),
  opt('Preparattype', cs()),
  opt('TypeSoknadSlv', cs()),
  opt('Opioidsoknad', bool),
  many('Refusjon', refusjon),
  opt('PakningByttegruppe', pakningByttegruppe),
  opt('AdministreringLegemiddel', administreringLegemiddel),
]);

/** `SortertVirkestoffMedStyrke`. */
export const sortertVirkestoffMedStyrke = complex(ns, [one('Sortering', int), one('RefVirkestoffMedStyrke', id)]);
/** `ProduktInfo`. */
export const produktInfo = complex(ns, [
  opt('Varseltrekant', bool),
  opt('Referanseprodukt', str),
  opt('Vaksinestandard', cv()),
  opt('Produsent', str),
]);
/** `Reseptgyldighet`: validity of a prescription for the product, per sex. */
export const reseptgyldighet = complex(ns, [opt('Kjonn', cs(KODEVERK.kjonn)), one('Varighet', duration)]);
/** `Hjelpestoff`. */
export const hjelpestoff = complex(ns, [one('Navn', str)]);
/** `Lenke`. */
export const lenke = complex(ns, [opt('Beskrivelse', str), one('Www', url)]);
/** `Preparatomtaleavsnitt`. */
export const preparatomtaleavsnitt = complex(ns, [one('Avsnittoverskrift', cs()), one('Lenke', lenke)]);

/** `LegemiddelMerkevare`: a brand (FEST merkevare). */
export const legemiddelMerkevare = extend(typeLegemiddel, [
  opt('Id', id),
  one('Varenavn', str),
  opt('LegemiddelformLang', str),
  many('SortertVirkestoffMedStyrke', sortertVirkestoffMedStyrke),
  opt('Smak', cs()),
  many('Refvirkestoff', id),
  opt('ProduktInfo', produktInfo),
  many('Reseptgyldighet', reseptgyldighet),
  many('Hjelpestoff', hjelpestoff),
  many('Preparatomtaleavsnitt', preparatomtaleavsnitt),
]);
/** A decoded `LegemiddelMerkevare`. */
export type LegemiddelMerkevare = InferItems<typeof legemiddelMerkevare.items>;

/** `Pakningskomponent`. */
export const pakningskomponent = complex(ns, [one('Pakningstype', cv(KODEVERK.pakningstype)), one('Mengde', pq), opt('Antall', int)]);

/** `Pakningsinfo` (FEST package data). */
export const pakningsinfo = complex(ns, [
  one('RefLegemiddelMerkevare', id),
  one('Pakningsstr', str),
  one('EnhetPakning', cv(KODEVERK.enhetForPakning, KODEVERK.enhetForKvantum)),
  one('Pakningstype', cv(KODEVERK.pakningstype)),
  opt('Multippel', int),
  opt('Antall', int),
  one('Mengde', decimal),
  opt('Sortering', int),
  opt('DDD', pq, { key: 'ddd' as const }),
  opt('Statistikkfaktor', decimal),
  many('Pakningskomponent', pakningskomponent),
]);

/** `PakningsinfoResept`: package name, size and unit as prescribed. */
export const pakningsinfoResept = complex(ns, [
  one('Varenavn', str),
  one('Pakningsstr', str),
  one('EnhetPakning', cv(KODEVERK.enhetForPakning, KODEVERK.enhetForKvantum)),
]);

/** `PrisVare`. */
export const prisVare = complex(ns, [one('Type', cv()), one('Pris', mo), opt('GyldigFraDato', date), opt('GyldigTilDato', date)]);

/** `Markedsforingsinfo`. */
export const markedsforingsinfo = complex(ns, [
  opt('VarenrUtgaende', str),
  opt('Markedsforingsdato', date),
  opt('AvregDato', date),
  opt('MidlUtgattDato', date),
]);

/** `Varenr`: an xs:string in the XSD, but a product number that becomes a FHIR code, so without whitespace. */
const varenr = textElement(xsStringWithoutSpace);

/** `Legemiddelpakning`: a package, identified by its varenummer. */
export const legemiddelpakning = extend(typeLegemiddel, [
  opt('Id', id),
  one('Varenr', varenr),
  opt('Ean', str),
  opt('IkkeKonservering', bool),
  opt('Oppbevaring', cs()),
  many('Pakningsinfo', pakningsinfo),
  many('PakningsinfoResept', pakningsinfoResept),
  many('PrisVare', prisVare),
  opt('Markedsforingsinfo', markedsforingsinfo),
  many('Preparatomtaleavsnitt', preparatomtaleavsnitt),
]);
/** A decoded `Legemiddelpakning`. */
export type Legemiddelpakning = InferItems<typeof legemiddelpakning.items>;

/** `LegemiddelVirkestoff`: generic (substance) prescribing. */
export const legemiddelVirkestoff = extend(typeLegemiddel, [one('Id', id), many('SortertVirkestoffMedStyrke', sortertVirkestoffMedStyrke)]);
/** A decoded `LegemiddelVirkestoff`. */
export type LegemiddelVirkestoff = InferItems<typeof legemiddelVirkestoff.items>;

/** `Legemiddeldose`: a unit dose. */
export const legemiddeldose = extend(typeLegemiddel, [
  one('Id', id),
  opt('LmrLopenr', str),
  one('Mengde', pq),
  opt('Pakningstype', cv(KODEVERK.pakningstype)),
  one('RefLegemiddelMerkevare', id),
  oneOrMore('RefPakning', id),
  many('Pakningskomponent', pakningskomponent),
]);

/** `Styrke`: strength as numerator / denominator. */
export const styrke = complex(ns, [one('Teller', pq), opt('Nevner', pq)]);
/** `Utblanding`: "ad q.s." filler. */
export const utblanding = complex(ns, [one('Adqs', cs())]);
/** `MengdeBestanddel`: amount of a constituent. */
export const mengdeBestanddel = complex(ns, [one('Mengde', pq)]);
/** `Virkestoff`: an active substance (FEST id and name). */
export const virkestoff = complex(ns, [one('Id', id), one('Navn', str), many('RefVirkestoff', id)]);

/** `BestanddelLegemiddel`: a finished product as constituent of a magistral preparation. */
export const bestanddelLegemiddel = complex(ns, [
  choice([opt('LegemiddelMerkevare', legemiddelMerkevare), opt('Legemiddelpakning', legemiddelpakning), opt('LegemiddelVirkestoff', legemiddelVirkestoff)]),
  choice([opt('Utblanding', utblanding), opt('MengdeBestanddel', mengdeBestanddel)]),
]);
/** `BestanddelAnnet`: another constituent, described in text. */
export const bestanddelAnnet = complex(ns, [
  one('NavnFormStyrke', str),
  choice([opt('Utblanding', utblanding), opt('MengdeBestanddel', mengdeBestanddel), opt('Styrke', styrke)]),
]);
/** `BestanddelVirkestoff`: an active substance with strength or amount. */
export const bestanddelVirkestoff = complex(ns, [
  one('Virkestoff', virkestoff),
  choice([opt('Styrke', styrke), opt('MengdeBestanddel', mengdeBestanddel)]),
]);

/** `Legemiddelblanding`: a magistral (extemporaneous) preparation. */
export const legemiddelblanding = complex(ns, [
  one('Navn', str),
  one('TilbOppl', str),
  one('Mengde', pq),
  one('Legemiddelform', cv(KODEVERK.legemiddelform)),
  many('BestanddelLegemiddel', bestanddelLegemiddel),
  many('BestanddelAnnet', bestanddelAnnet),
  many('BestanddelVirkestoff', bestanddelVirkestoff),
]);
/** A decoded `Legemiddelblanding`. */
export type Legemiddelblanding = InferItems<typeof legemiddelblanding.items>;

/** `Forskrivning`: use, dosage and exactly one product. */
export const forskrivning = complex(ns, [
  opt('Bruksomrade', str),
  opt('DosVeiledEnkel', str),
  opt('IngenKombinasjon', bool),
  opt('Bruk', cs(KODEVERK.legemiddelbruk)),
  opt('Kortdose', cv(KODEVERK.kortdose)),
  opt('AdministreringForskrivning', administreringForskrivning),
  many('Dosering', dosering),
  choice([
    opt('LegemiddelMerkevare', legemiddelMerkevare),
    opt('Legemiddelpakning', legemiddelpakning),
    opt('LegemiddelVirkestoff', legemiddelVirkestoff),
    opt('Legemiddelblanding', legemiddelblanding),
    opt('Legemiddeldose', legemiddeldose),
  ]),
]);
/** A decoded `Forskrivning`. */
export type Forskrivning = InferItems<typeof forskrivning.items>;

// ---- Handelsvare (medical devices, nutrition) ----

/** `ProduktInfoVare`. */
export const produktInfoVare = complex(ns, [
  one('ProduktNr', str),
  opt('Volum', str),
  one('EnhetStorrelse', cv()),
  one('AntPerPakning', int),
  many('RefVilkar', id),
  one('TillattMerMakspris', bool),
]);
/** `Leverandor`. */
export const leverandor = complex(ns, [one('Navn', str), one('Adresse', str), one('Telefon', str)]);
/** `typeVare`: header of a commercial product (handelsvare). */
export const typeVare = complex(ns, [
  one('Nr', str),
  one('Navn', str),
  opt('ProduktInfoVare', produktInfoVare),
  opt('Leverandor', leverandor),
  many('PrisVare', prisVare),
  opt('Refusjon', refusjon),
]);
/** `Brystprotese`. */
export const brystprotese = typeVare;
/** `StyrkeFormStoff`. */
export const styrkeFormStoff = complex(ns, [opt('Styrke', str), opt('Form', str), many('Stoff', str)]);
/** `Naringsmiddel`: nutrition product. */
export const naringsmiddel = extend(typeVare, [opt('StyrkeFormStoff', styrkeFormStoff)]);
/** `BestanddelMatr`. */
export const bestanddelMatr = complex(ns, [one('Navn', str), one('Materiale', str)]);
/** `MedForbMatr`: medical consumables. */
export const medForbMatr = extend(typeVare, [many('BestanddelMatr', bestanddelMatr)]);
