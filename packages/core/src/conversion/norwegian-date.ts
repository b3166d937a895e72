/**
 * Calendar dates as they are in Norway. Utloper, TidligsteUtlevering and Utleveringsdato are Norwegian
 * calendar dates: a moment is turned into one in Europe/Oslo, whatever offset it was written with, so
 * that "2025-03-04T23:30:00Z" and "2025-03-05T00:30:00+01:00" (the same moment) give the same date.
 */

const OSLO = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo', year: 'numeric', month: '2-digit', day: '2-digit' });

/** A FHIR dateTime with a time part (which then carries its offset). */
const WITH_TIME = /^\d{4}-\d{2}-\d{2}T/;

const HOUR_MS = 3_600_000;
// The date in Oslo is the same through a whole UTC hour (its offset has been whole hours, changing on the hour,
// since 1895),
// and a service asks about the same hour again and again: the last answer is kept (formatting costs ~1 µs).
let lastHour = Number.NaN;
let lastDate = '';

/**
 * The date in Norway at `instant` (YYYY-MM-DD).
 * @example norwegianDate(new Date('2024-05-31T22:30:00Z')) // '2024-06-01'
 */
export function norwegianDate(instant: Date): string {
  const hour = Math.floor(instant.getTime() / HOUR_MS);
  if (hour !== lastHour) {
    lastDate = OSLO.format(instant);
    lastHour = hour;
  }
  return lastDate;
}

/**
 * The Norwegian calendar date of a FHIR date or dateTime: a dateTime with a time is the date in Norway at
 * that moment; a date (or a partial one) is taken as written.
 * @example norwegianDateOf('2025-03-05T00:30:00+01:00') // '2025-03-04'
 */
export function norwegianDateOf(fhirDateTime: string): string {
  if (!WITH_TIME.test(fhirDateTime)) return fhirDateTime.slice(0, 10);
  const instant = new Date(fhirDateTime);
  return Number.isNaN(instant.getTime()) ? fhirDateTime.slice(0, 10) : norwegianDate(instant);
}
