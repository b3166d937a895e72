/**
 * Days in a month of the proleptic Gregorian calendar, as `Date` counts them: shared by the XML Schema date
 * types and the birth dates inside person numbers.
 */

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/**
 * Days in `month` (1–12) of `year`.
 * @example daysInMonth(2024, 2) // 29
 */
export function daysInMonth(year: number, month: number): number {
  // Worked out directly for the years messages have, without a Date per value; `Date.UTC` alone decides
  // the rest (it reads years 0–99 as 1900–1999 and has a range limit, and those answers must stay).
  if (year < 100 || year > 9999) return new Date(Date.UTC(year, month, 0)).getUTCDate();
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!;
}
