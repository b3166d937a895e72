/**
 * The prescribed product of an M1 Forskrivning as a Medication-eu-mpd: one of package (Varenr), brand,
 * substance, magistral preparation or unit dose. ATC goes in the classification extension, the dose form
 * as EDQM (with the Norwegian code kept), the product name in the product-name extension and code.text.
 */
import type { CodeableConcept, Extension, Identifier, Medication, MedicationIngredient, Quantity, Ratio } from '@medplum/fhirtypes';
import type { Forskrivning } from '../eresept/forskrivning.js';
import type { CV, PQ } from '../eresept/schema/kith-datatypes.js';
import { EXTENSION, MPD_PROFILE, PROJECT_IDENTIFIER_SYSTEM, SYSTEM } from '../terminology/fhir-systems.js';
import { coding, quantity, translatedConcept, type CodeContext } from './coded-values.js';
import { below } from './covered-paths.js';
import type { SourcePath } from './report.js';

/** The Medication and notes that belong on the MedicationRequest (e.g. preparation instructions). */
export interface EuMedication {
  readonly resource: Medication;
  readonly notes: string[];
}

type Header = {
  atc?: CV;
  navnFormStyrke: string;
  legemiddelformKort?: CV;
};

/** The product name, the ATC classification and the dose form, shared by every product kind. */
function header(h: Header, path: SourcePath, med: Medication, ctx: CodeContext): void {
  const extension: Extension[] = [{ url: EXTENSION.productName, valueString: h.navnFormStyrke }];
  if (h.atc) {
    extension.push({ url: EXTENSION.classification, valueCodeableConcept: { coding: [coding(SYSTEM.atc, h.atc.v, h.atc.dn)] } });
    ctx.report.carriedFields(path, 'atc');
  }
  med.extension = extension;
  // Its coding kept and its text replaced, without a spread (a slow generic copy in V8).
  const code: CodeableConcept = {};
  if (med.code?.coding) code.coding = med.code.coding;
  code.text = h.navnFormStyrke;
  med.code = code;
  ctx.report.carriedFields(path, 'navnFormStyrke');
  if (h.legemiddelformKort) med.form = translatedConcept(h.legemiddelformKort, SYSTEM.edqm, below(path, 'legemiddelformKort'), 'dose form', ctx);
  // Routes and dosing units belong to the dosage (eu-dosage.ts); Reseptgruppe is a Norwegian dispensing rule.
  ctx.report.notCarried(below(path, 'reseptgruppe'), 'the Norwegian prescription group (Reseptgruppe) has no EU element');
}

/**
 * A brand or a package has a name of its own (Varenavn, e.g. "Eliquis"): that is the product name, in place
 * of NavnFormStyrke, which stays the code's text ("Eliquis Tab 5 mg").
 */
function useVarenavn(med: Medication, varenavn: string): void {
  for (const e of med.extension ?? []) if (e.url === EXTENSION.productName) e.valueString = varenavn;
}

/** A product's code: its FEST id, when the message gives one, and its name as text. */
function festCode(id: string | undefined, text: string | undefined): CodeableConcept {
  const code: CodeableConcept = {};
  if (id) code.coding = [{ system: SYSTEM.fest, code: id }];
  if (text) code.text = text;
  return code;
}

function ratio(numerator: Quantity, denominator?: Quantity): Ratio {
  return { numerator, denominator: denominator ?? { value: 1 } };
}

function pq(value: PQ, path: SourcePath, what: string, ctx: CodeContext): Quantity {
  return quantity(value, path, what, ctx);
}

/**
 * Builds the Medication for the product chosen in a Forskrivning.
 * @param path model path of the Forskrivning
 */
export function euMedication(f: Forskrivning, path: SourcePath, ctx: CodeContext): EuMedication {
  const med: Medication = { resourceType: 'Medication', meta: { profile: [MPD_PROFILE.medication] } };
  const notes: string[] = [];
  const identifier: Identifier[] = [];

  if (f.legemiddelpakning) {
    const p = f.legemiddelpakning;
    const pPath = below(path, 'legemiddelpakning');
    header(p, pPath, med, ctx);
    med.code = { coding: [{ system: PROJECT_IDENTIFIER_SYSTEM.varenummer, code: p.varenr, display: p.navnFormStyrke }], text: p.navnFormStyrke };
    identifier.push({ system: PROJECT_IDENTIFIER_SYSTEM.varenummer, value: p.varenr });
    ctx.report.carriedFields(pPath, 'varenr');
    if (p.ean) {
      identifier.push({ system: SYSTEM.gtin, value: p.ean });
      ctx.report.carriedFields(pPath, 'ean');
    }
    if (p.id) med.code.coding?.push({ system: SYSTEM.fest, code: p.id });
    ctx.report.carriedFields(pPath, 'id');
    const info = p.pakningsinfoResept?.[0];
    if (info) {
      const size = Number(info.pakningsstr.replace(',', '.'));
      const iPath = below(pPath, 'pakningsinfoResept', 0);
      if (Number.isFinite(size)) {
        // The 7452 code is the unit as written (stk, ml); its display is the long name (stykk, milliliter).
        const unit = pq({ v: size, u: info.enhetPakning.v ?? info.enhetPakning.dn }, below(iPath, 'enhetPakning'), 'package unit', ctx);
        med.amount = ratio(unit);
        ctx.report.carriedFields(iPath, 'pakningsstr');
      } else {
        ctx.report.notCarried(below(iPath, 'pakningsstr'), `package size "${info.pakningsstr}" is not a number`);
      }
      useVarenavn(med, info.varenavn);
      ctx.report.carriedFields(iPath, 'varenavn');
    }
  } else if (f.legemiddelMerkevare) {
    const m = f.legemiddelMerkevare;
    const mPath = below(path, 'legemiddelMerkevare');
    header(m, mPath, med, ctx);
    med.code = festCode(m.id, m.navnFormStyrke);
    useVarenavn(med, m.varenavn);
    ctx.report.carriedFields(mPath, 'varenavn', 'id');
    if (m.legemiddelformLang && med.form) {
      med.form.text = m.legemiddelformLang;
      ctx.report.carriedFields(mPath, 'legemiddelformLang');
    }
    if (m.sortertVirkestoffMedStyrke) ctx.report.notCarried(below(mPath, 'sortertVirkestoffMedStyrke'), 'substance and strength are references into the FEST catalogue, which the message does not carry; strength is in the product name');
  } else if (f.legemiddelVirkestoff) {
    const v = f.legemiddelVirkestoff;
    const vPath = below(path, 'legemiddelVirkestoff');
    header(v, vPath, med, ctx);
    med.code = festCode(v.id, v.navnFormStyrke);
    ctx.report.carriedFields(vPath, 'id');
    if (v.sortertVirkestoffMedStyrke) ctx.report.notCarried(below(vPath, 'sortertVirkestoffMedStyrke'), 'substance and strength are references into the FEST catalogue, which the message does not carry; strength is in the product name');
  } else if (f.legemiddelblanding) {
    magistral(f.legemiddelblanding, below(path, 'legemiddelblanding'), med, notes, ctx);
  } else if (f.legemiddeldose) {
    const d = f.legemiddeldose;
    const dPath = below(path, 'legemiddeldose');
    header(d, dPath, med, ctx);
    med.code = festCode(d.id, d.navnFormStyrke);
    med.amount = ratio(pq(d.mengde, below(dPath, 'mengde'), 'unit dose amount', ctx));
    ctx.report.carriedFields(dPath, 'id');
  }
  if (identifier.length) med.identifier = identifier;
  return { resource: med, notes };
}

type Blanding = NonNullable<Forskrivning['legemiddelblanding']>;

function magistral(b: Blanding, path: SourcePath, med: Medication, notes: string[], ctx: CodeContext): void {
  med.code = { text: b.navn };
  med.extension = [{ url: EXTENSION.productName, valueString: b.navn }];
  med.form = translatedConcept(b.legemiddelform, SYSTEM.edqm, below(path, 'legemiddelform'), 'dose form', ctx);
  med.amount = ratio(pq(b.mengde, below(path, 'mengde'), 'preparation amount', ctx));
  ctx.report.carriedFields(path, 'navn');
  notes.push(`Tilberedning (magistrell): ${b.tilbOppl}`);
  ctx.report.approximated(below(path, 'tilbOppl'), 'preparation instructions are carried as a note on the MedicationRequest');

  const ingredients: MedicationIngredient[] = [];
  (b.bestanddelVirkestoff ?? []).forEach((c, i) => {
    const cPath = below(path, 'bestanddelVirkestoff', i);
    const ing: MedicationIngredient = { itemCodeableConcept: festCode(c.virkestoff.id, c.virkestoff.navn), isActive: true };
    ctx.report.carriedFields(cPath, 'virkestoff');
    if (c.styrke) ing.strength = ratio(pq(c.styrke.teller, below(cPath, 'styrke', 'teller'), 'strength', ctx), c.styrke.nevner ? pq(c.styrke.nevner, below(cPath, 'styrke', 'nevner'), 'strength', ctx) : undefined);
    if (c.mengdeBestanddel) ing.strength = ratio(pq(c.mengdeBestanddel.mengde, below(cPath, 'mengdeBestanddel', 'mengde'), 'amount', ctx), { ...med.amount?.numerator });
    ingredients.push(ing);
  });
  (b.bestanddelAnnet ?? []).forEach((c, i) => {
    const cPath = below(path, 'bestanddelAnnet', i);
    const ing: MedicationIngredient = { itemCodeableConcept: { text: c.navnFormStyrke }, isActive: false };
    ctx.report.carriedFields(cPath, 'navnFormStyrke');
    if (c.styrke) ing.strength = ratio(pq(c.styrke.teller, below(cPath, 'styrke', 'teller'), 'strength', ctx), c.styrke.nevner ? pq(c.styrke.nevner, below(cPath, 'styrke', 'nevner'), 'strength', ctx) : undefined);
    if (c.mengdeBestanddel) ing.strength = ratio(pq(c.mengdeBestanddel.mengde, below(cPath, 'mengdeBestanddel', 'mengde'), 'amount', ctx), { ...med.amount?.numerator });
    if (c.utblanding) {
      notes.push(`${c.navnFormStyrke}: ad q.s. (til ${b.mengde.v ?? ''} ${b.mengde.u ?? ''})`);
      ctx.report.approximated(below(cPath, 'utblanding'), '"ad q.s." (fill up to the total amount) has no ingredient element; carried as a note');
    }
    ingredients.push(ing);
  });
  (b.bestanddelLegemiddel ?? []).forEach((c, i) => {
    const cPath = below(path, 'bestanddelLegemiddel', i);
    const product = c.legemiddelpakning ?? c.legemiddelMerkevare ?? c.legemiddelVirkestoff;
    const coding = product?.atc ? [{ system: SYSTEM.atc, code: product.atc.v }] : [];
    const ing: MedicationIngredient = { itemCodeableConcept: { coding, text: product?.navnFormStyrke ?? '' }, isActive: true };
    if (c.mengdeBestanddel) ing.strength = ratio(pq(c.mengdeBestanddel.mengde, below(cPath, 'mengdeBestanddel', 'mengde'), 'amount', ctx), { ...med.amount?.numerator });
    if (c.utblanding) notes.push(`${product?.navnFormStyrke ?? ''}: ad q.s.`);
    ctx.report.approximated(cPath, 'a finished product used as constituent is carried by name (and ATC) only');
    ingredients.push(ing);
  });
  if (ingredients.length) med.ingredient = ingredients;
}
