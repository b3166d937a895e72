/**
 * Norwegian person numbers (11 digits): fødselsnummer (FNR), D-nummer (DNR) and H-nummer (HNR).
 *
 * Layout `DDMMYYIIIKK`: birth date, a three-digit individual number whose range gives the century,
 * and two mod-11 check digits. D-nummer adds 4 to the first day digit, H-nummer adds 4 to the first
 * month digit. Synthetic test numbers add 80 to the month (months 81–92 never occur in real numbers);
 * they are accepted only where the caller says it is a test environment.
 */
import { daysInMonth } from '../calendar/days-in-month.js';

/** Which kind of person number it is. */
export type PersonNumberKind = 'fnr' | 'dnr' | 'hnr';

/** What an 11-digit person number tells once its check digits hold. */
export interface PersonNumber {
  /** The number as given (11 digits). */
  readonly value: string;
  readonly kind: PersonNumberKind;
  /** True for a synthetic test number (month + 80). */
  readonly synthetic: boolean;
  /** Birth date `YYYY-MM-DD`, derived from the digits and the century rule of the individual number. */
  readonly birthDate: string;
  /** Legal sex from the ninth digit (odd = male). */
  readonly sex: 'male' | 'female';
}

/** Why a string is not an acceptable person number. */
export type PersonNumberProblem =
  | 'not-11-digits'
  | 'check-digit'
  | 'invalid-date'
  | 'invalid-individual-number'
  | 'synthetic-not-allowed';

/** Options for {@link parsePersonNumber}. */
export interface PersonNumberOptions {
  /** Accept synthetic test numbers (month + 80). Only in test environments. Default false. */
  readonly allowSynthetic?: boolean;
}

/** Result of {@link parsePersonNumber}: the number, or the reason it was refused. */
export type PersonNumberResult =
  | { readonly ok: true; readonly number: PersonNumber }
  | { readonly ok: false; readonly problem: PersonNumberProblem; readonly message: string };

const WEIGHTS_K1 = [3, 7, 6, 1, 8, 9, 4, 5, 2] as const;
const WEIGHTS_K2 = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2] as const;
const SYNTHETIC_MONTH_OFFSET = 80;
const DNR_DAY_OFFSET = 40;
const HNR_MONTH_OFFSET = 40;

const PROBLEM_TEXT: Record<PersonNumberProblem, string> = {
  'not-11-digits': 'a person number has exactly 11 digits',
  'check-digit': 'the mod-11 check digits do not match',
  'invalid-date': 'the first six digits are not a valid birth date',
  'invalid-individual-number': 'the individual number does not fit any century for this birth year',
  'synthetic-not-allowed': 'synthetic test numbers are accepted only in a test environment',
};

/** The mod-11 check digit of a weighted sum, or undefined when it would be 10 (no valid number has it). */
function checkDigitOf(weightedSum: number): number | undefined {
  const rest = 11 - (weightedSum % 11);
  if (rest === 11) return 0;
  return rest === 10 ? undefined : rest;
}

/** The digit at `at` of a string of digits. */
const digitAt = (digits: string, at: number): number => digits.charCodeAt(at) - 48;

/** The two check digits (k1, k2) for the first nine digits of `digits`, or undefined when no valid number has these nine. */
function checkDigitPair(digits: string): [number, number] | undefined {
  // Read digit by digit from the text: this runs for every person number a message or summary carries.
  let sum1 = 0;
  let sum2 = 0;
  for (let i = 0; i < 9; i++) {
    const d = digitAt(digits, i);
    sum1 += WEIGHTS_K1[i]! * d;
    sum2 += WEIGHTS_K2[i]! * d;
  }
  const k1 = checkDigitOf(sum1);
  if (k1 === undefined) return undefined;
  const k2 = checkDigitOf(sum2 + WEIGHTS_K2[9] * k1);
  return k2 === undefined ? undefined : [k1, k2];
}

/**
 * The two check digits for the first nine digits, or undefined when no valid number has these nine.
 * @param nineDigits exactly nine digits
 * @example checkDigits('128354120') // → '73'
 */
export function checkDigits(nineDigits: string): string | undefined {
  const pair = checkDigitPair(nineDigits);
  return pair && `${pair[0]}${pair[1]}`;
}

/** Century of a birth year from the individual number (Skatteetaten's allocation rule). */
function fullYear(yy: number, individual: number): number | undefined {
  if (individual <= 499) return 1900 + yy;
  if (individual <= 749 && yy >= 54) return 1800 + yy;
  if (individual >= 900 && yy >= 40) return 1900 + yy;
  if (yy <= 39) return 2000 + yy;
  return undefined;
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function refuse(problem: PersonNumberProblem): PersonNumberResult {
  return { ok: false, problem, message: PROBLEM_TEXT[problem] };
}

/**
 * Checks an 11-digit Norwegian person number and derives birth date and sex.
 * @param value the number as written (digits only)
 * @param options `allowSynthetic` to accept test numbers
 * @example parsePersonNumber('12835412073', { allowSynthetic: true }) // ok, fnr, 1954-03-12, female
 */
export function parsePersonNumber(value: string, options: PersonNumberOptions = {}): PersonNumberResult {
  if (!/^\d{11}$/.test(value)) return refuse('not-11-digits');
  const check = checkDigitPair(value);
  if (check === undefined || check[0] !== digitAt(value, 9) || check[1] !== digitAt(value, 10)) return refuse('check-digit');

  const twoDigits = (at: number) => 10 * digitAt(value, at) + digitAt(value, at + 1);
  let day = twoDigits(0);
  let month = twoDigits(2);
  const yy = twoDigits(4);
  const individual = 100 * digitAt(value, 6) + twoDigits(7);

  let synthetic = false;
  if (month > SYNTHETIC_MONTH_OFFSET) {
    synthetic = true;
    month -= SYNTHETIC_MONTH_OFFSET;
  }
  let kind: PersonNumberKind = 'fnr';
  if (day > DNR_DAY_OFFSET) {
    kind = 'dnr';
    day -= DNR_DAY_OFFSET;
  } else if (month > HNR_MONTH_OFFSET) {
    kind = 'hnr';
    month -= HNR_MONTH_OFFSET;
  }
  const year = fullYear(yy, individual);
  if (year === undefined) return refuse('invalid-individual-number');
  if (!isCalendarDate(year, month, day)) return refuse('invalid-date');
  if (synthetic && !options.allowSynthetic) return refuse('synthetic-not-allowed');

  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    ok: true,
    number: {
      value,
      kind,
      synthetic,
      birthDate: `${year}-${pad(month)}-${pad(day)}`,
      sex: digitAt(value, 8) % 2 === 1 ? 'male' : 'female',
    },
  };
}

/** Wanted properties of a synthetic number made by {@link syntheticPersonNumber}. */
export interface SyntheticPersonSpec {
  /** Birth date `YYYY-MM-DD` (1900–2039). */
  readonly birthDate: string;
  readonly sex: 'male' | 'female';
  /** Default `fnr`. */
  readonly kind?: PersonNumberKind;
  /** Which of the valid numbers for this date and sex to return (0 = the first). Default 0. */
  readonly sequence?: number;
}

/**
 * Makes a synthetic test person number (month + 80) with valid check digits, deterministically.
 * @example syntheticPersonNumber({ birthDate: '1954-03-12', sex: 'female' }) // → '12835400…'
 * @throws RangeError when the date is outside 1900–2039 or no number is left for the sequence
 */
export function syntheticPersonNumber(spec: SyntheticPersonSpec): string {
  const [y, m, d] = spec.birthDate.split('-').map(Number) as [number, number, number];
  if (!(y >= 1900 && y <= 2039) || !isCalendarDate(y, m, d)) throw new RangeError(`unsupported birth date ${spec.birthDate}`);
  const kind = spec.kind ?? 'fnr';
  const day = kind === 'dnr' ? d + DNR_DAY_OFFSET : d;
  const month = m + SYNTHETIC_MONTH_OFFSET + (kind === 'hnr' ? HNR_MONTH_OFFSET : 0);
  // H-nummer months would exceed two digits with the synthetic offset; they are not made synthetically.
  if (month > 99) throw new RangeError('synthetic H-nummer is not defined');
  const [from, to] = y >= 2000 ? [500, 999] : [0, 499];
  let skip = spec.sequence ?? 0;
  for (let individual = from; individual <= to; individual++) {
    if ((individual % 2 === 1) !== (spec.sex === 'male')) continue;
    const nine = `${String(day).padStart(2, '0')}${String(month).padStart(2, '0')}${String(y % 100).padStart(2, '0')}${String(individual).padStart(3, '0')}`;
    const check = checkDigits(nine);
    if (check === undefined) continue;
    if (skip-- === 0) return nine + check;
  }
  throw new RangeError(`no synthetic number left for ${spec.birthDate} at sequence ${spec.sequence}`);
}
