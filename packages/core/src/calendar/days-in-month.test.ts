import { daysInMonth } from './days-in-month.js';

describe('daysInMonth', () => {
  it.each([
    [2024, 2, 29], [2023, 2, 28], [1900, 2, 28], [2000, 2, 29], [2024, 4, 30], [2024, 12, 31],
    // Outside 100–9999 it answers as Date.UTC does (years 0–99 read as 1900–1999).
    [4, 2, 29], [0, 2, 28],
  ])('%i-%i has %i days', (year, month, days) => {
    expect(daysInMonth(year, month)).toBe(days);
  });

  it('agrees with Date for every month of 1800–2100', () => {
    for (let y = 1800; y <= 2100; y++) for (let m = 1; m <= 12; m++) expect(daysInMonth(y, m)).toBe(new Date(Date.UTC(y, m, 0)).getUTCDate());
  });
});
