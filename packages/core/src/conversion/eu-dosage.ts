/**
 * The dosage of an M1 Forskrivning as FHIR Dosage: each structured dose (DoseFastTidspunkt,
 * DoseEtterBehov) becomes one Dosage with timing, dose and route; the free text (DosVeiledEnkel, or the
 * Kortdose text) becomes `text` of the first Dosage and the rendered dosage instruction.
 */
import type { Dosage, Period, Timing } from '@medplum/fhirtypes';
import type { Dosering, Forskrivning } from '../eresept/forskrivning.js';
import type { CV, PQ } from '../eresept/schema/kith-datatypes.js';
import { SYSTEM, volvenSystem } from '../terminology/fhir-systems.js';
import { KODEVERK } from '../terminology/oids.js';
import { quantity, translatedConcept, type CodeContext } from './coded-values.js';
import { below } from './covered-paths.js';
import type { SourcePath } from './report.js';

/** The dosages and the Norwegian dosage text for the rendered-instruction extension. */
export interface EuDosage {
  readonly dosages: Dosage[];
  readonly rendered: string | undefined;
}

const AS_NEEDED_BRUK = '3';
const TIME_UNITS = volvenSystem(9088);
const TIDSOMRADE = volvenSystem(KODEVERK.tidspunktPaDagen);

type PeriodUnit = NonNullable<NonNullable<Timing['repeat']>['periodUnit']>;

/** A KITH time quantity (e.g. 1 "døgn") as period and UCUM unit, when the unit maps. */
function period(pq: PQ, path: SourcePath, ctx: CodeContext): { value: number; unit: PeriodUnit } | undefined {
  const t = pq.u ? ctx.maps.translateText(TIME_UNITS, pq.u, SYSTEM.ucum)[0] : undefined;
  if (!t || pq.v === undefined) {
    ctx.report.notCarried(path, `time unit "${pq.u ?? ''}" has no UCUM mapping`);
    return undefined;
  }
  ctx.report.carried(path);
  return { value: pq.v, unit: t.code as PeriodUnit };
}

/** A kith:TS date and time with its time zone, a date, a year-month or a year: a FHIR dateTime as it is. */
const FHIR_DATE_TIME = /^-?\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}))?)?)?$/;
/** A kith:TS date and time without a time zone. */
const LOCAL_DATE_TIME = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}:\d{2}(\.\d+)?$/;

/**
 * A kith:TS (Starttidspunkt, Sluttidspunkt) as a FHIR dateTime: as it is when FHIR can hold it; a date and
 * time without time zone gives its date (FHIR requires the zone with a time); a bare time gives nothing.
 */
function dateTimeOfTs(v: string, path: SourcePath, ctx: CodeContext): string | undefined {
  if (FHIR_DATE_TIME.test(v)) {
    ctx.report.carried(path);
    return v;
  }
  const local = LOCAL_DATE_TIME.exec(v);
  if (local) {
    ctx.report.approximated(path, `${v} has no time zone, which a FHIR dateTime with a time must have: only its date is carried`);
    return local[1];
  }
  ctx.report.notCarried(path, `${v} is a time of day without a date: Timing.repeat.boundsPeriod needs a date`);
  return undefined;
}

/** The dose period as a fresh Timing.repeat (callers fill in the rest). */
function bounds(d: Dosering, path: SourcePath, ctx: CodeContext): NonNullable<Timing['repeat']> {
  const start = d.starttidspunkt?.v === undefined ? undefined : dateTimeOfTs(d.starttidspunkt.v, below(path, 'starttidspunkt'), ctx);
  const end = d.sluttidspunkt?.v === undefined ? undefined : dateTimeOfTs(d.sluttidspunkt.v, below(path, 'sluttidspunkt'), ctx);
  if (!start && !end) return {};
  // Properties set one by one: conditional spreads take a slow generic path in V8 (see eu-prescription-view.ts).
  const boundsPeriod: Period = {};
  if (start) boundsPeriod.start = start;
  if (end) boundsPeriod.end = end;
  return { boundsPeriod };
}

function fixedTimeDoses(d: Dosering, path: SourcePath, sequence: number, route: Dosage['route'], ctx: CodeContext): Dosage[] {
  return (d.doseFastTidspunkt ?? []).map((dose, i) => {
    const p: SourcePath = below(path, 'doseFastTidspunkt', i);
    const repeat: NonNullable<Timing['repeat']> = bounds(d, path, ctx);
    if (dose.fastDose) {
      // Fixed weekdays (Volven 9082, which the project has no verified map for) or days on and off (no R4
      // element): a frequency per interval would read as every day, so the dose gets no frequency at all.
      ctx.report.notCarried(below(p, 'fastDose'), 'fixed weekdays or days on/off have no mapped Timing element; the dose is given without frequency so that it does not read as daily');
      if (dose.intervall) ctx.report.notCarried(below(p, 'intervall'), 'left out with FastDose: on its own it would read as every interval');
    } else {
      repeat.frequency = 1;
      const interval = dose.intervall ? period(dose.intervall, below(p, 'intervall'), ctx) : undefined;
      if (interval) {
        repeat.period = interval.value;
        repeat.periodUnit = interval.unit;
      }
    }
    if (dose.tidsomrade?.v && dose.klokkeslett) {
      // FHIR allows a time of day or a period of the day, not both (tim-10): the exact time is kept.
      ctx.report.notCarried(below(p, 'tidsomrade'), `the period of the day "${dose.tidsomrade.dn ?? dose.tidsomrade.v}" is left out beside the exact time ${dose.klokkeslett} (Timing allows only one of when and timeOfDay)`);
    } else if (dose.tidsomrade?.v) {
      const t = ctx.maps.translate(TIDSOMRADE, dose.tidsomrade.v, SYSTEM.eventTiming)[0];
      if (t) {
        repeat.when = [t.code as NonNullable<typeof repeat.when>[number]];
        ctx.report.carriedFields(p, 'tidsomrade');
      } else {
        ctx.report.notCarried(below(p, 'tidsomrade'), `time of day "${dose.tidsomrade.dn ?? dose.tidsomrade.v}" has no event-timing mapping`);
      }
    }
    if (dose.klokkeslett) {
      repeat.timeOfDay = [dose.klokkeslett.slice(0, 8)];
      ctx.report.carriedFields(p, 'klokkeslett');
    }
    ctx.report.approximated(below(p, 'gisEksakt'), `"to be given at exactly this time" (${dose.gisEksakt}) has no Timing element`);
    // Doses of one Dosering are taken side by side (one sequence number); the next Dosering comes after.
    const dosage: Dosage = {
      sequence,
      timing: { repeat },
      doseAndRate: [{ doseQuantity: quantity(dose.mengde, below(p, 'mengde'), 'dose', ctx) }],
    };
    if (route) dosage.route = route;
    return dosage;
  });
}

function asNeededDoses(d: Dosering, path: SourcePath, sequence: number, route: Dosage['route'], ctx: CodeContext): Dosage[] {
  return (d.doseEtterBehov ?? []).map((dose, i) => {
    const p: SourcePath = below(path, 'doseEtterBehov', i);
    const dosage: Dosage = {
      sequence,
      asNeededBoolean: true,
      doseAndRate: [{ doseQuantity: quantity(dose.mengde, below(p, 'mengde'), 'dose', ctx) }],
      maxDosePerPeriod: { numerator: quantity(dose.doseDognMaks, below(p, 'doseDognMaks'), 'maximum dose per day', ctx), denominator: { value: 1, unit: 'd', system: SYSTEM.ucum, code: 'd' } },
    };
    const repeat = bounds(d, path, ctx);
    if (repeat && Object.keys(repeat).length) dosage.timing = { repeat };
    const min = period(dose.doseIntervallMin, below(p, 'doseIntervallMin'), ctx);
    const window = period(dose.tidsrom, below(p, 'tidsrom'), ctx);
    const windowMax = dose.doseTidsromMaks;
    const words = [
      min ? `minst ${min.value} ${dose.doseIntervallMin.u ?? ''} mellom dosene` : '',
      window && windowMax.v !== undefined ? `høyst ${windowMax.v} ${windowMax.u ?? ''} per ${window.value} ${dose.tidsrom.u ?? ''}` : '',
    ].filter(Boolean);
    if (words.length) dosage.additionalInstruction = [{ text: words.join('; ') }];
    ctx.report.approximated(below(p, 'doseTidsromMaks'), 'the maximum per time window and the minimum interval have no structured R4 Dosage element; carried as additionalInstruction text');
    if (route) dosage.route = route;
    return dosage;
  });
}

function routeOf(f: Forskrivning, path: SourcePath, ctx: CodeContext): Dosage['route'] {
  const products = [
    ['legemiddelpakning', f.legemiddelpakning],
    ['legemiddelMerkevare', f.legemiddelMerkevare],
    ['legemiddelVirkestoff', f.legemiddelVirkestoff],
    ['legemiddeldose', f.legemiddeldose],
  ] as const;
  for (const [key, product] of products) {
    const adm = product?.administreringLegemiddel;
    if (!adm) continue;
    const admPath: SourcePath = below(path, key, 'administreringLegemiddel');
    const routes: CV[] = adm.administrasjonsvei;
    routes.slice(1).forEach((_, i) => ctx.report.notCarried(below(admPath, 'administrasjonsvei', i + 1), 'only the first route of administration is carried'));
    if (adm.enhetDosering) ctx.report.carriedFields(admPath, 'enhetDosering');
    return routes[0] ? translatedConcept(routes[0], SYSTEM.edqm, below(admPath, 'administrasjonsvei', 0), 'route', ctx) : undefined;
  }
  return undefined;
}

/**
 * Builds the dosage instructions.
 * @param path model path of the Forskrivning
 */
export function euDosage(f: Forskrivning, path: SourcePath, ctx: CodeContext): EuDosage {
  const route = routeOf(f, path, ctx);
  const dosages: Dosage[] = [];
  (f.dosering ?? []).forEach((d, i) => {
    const p: SourcePath = below(path, 'dosering', i);
    dosages.push(...fixedTimeDoses(d, p, i + 1, route, ctx), ...asNeededDoses(d, p, i + 1, route, ctx));
    if (d.doseringsregel) ctx.report.notCarried(below(p, 'doseringsregel'), 'a dosing rule (dose by weight, surface …) has no Dosage element');
  });
  const text = f.dosVeiledEnkel ?? f.kortdose?.ot ?? f.kortdose?.dn;
  if (f.dosVeiledEnkel) ctx.report.carriedFields(path, 'dosVeiledEnkel');
  if (f.kortdose) {
    if (f.dosVeiledEnkel) ctx.report.approximated(below(path, 'kortdose'), 'the short dose code is kept in dosage text only when there is no DosVeiledEnkel');
    else ctx.report.carriedFields(path, 'kortdose');
  }
  if (text) {
    if (dosages.length === 0) dosages.push(route ? { text, route } : { text });
    else dosages[0] = Object.assign({ text }, dosages[0]);
  }
  if (f.bruksomrade) {
    const first = dosages[0] ?? (dosages[0] = {});
    first.patientInstruction = f.bruksomrade;
    ctx.report.carriedFields(path, 'bruksomrade');
  }
  if (f.bruk?.v === AS_NEEDED_BRUK) {
    // "Ved behov" holds even without any other dosage information: then it is a Dosage of its own.
    if (dosages.length === 0) dosages.push(route ? { route } : {});
    for (const d of dosages) d.asNeededBoolean = true;
    ctx.report.carriedFields(path, 'bruk');
  }
  return { dosages, rendered: text };
}
