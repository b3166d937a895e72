import { norwegianDate, norwegianDateOf } from './norwegian-date.js';

describe('dates in Norway', () => {
  it('turns a moment into the date in Oslo, in winter (UTC+1) and summer (UTC+2) time', () => {
    expect(norwegianDate(new Date('2024-01-31T22:59:59Z'))).toBe('2024-01-31');
    expect(norwegianDate(new Date('2024-01-31T23:00:00Z'))).toBe('2024-02-01');
    expect(norwegianDate(new Date('2024-05-31T21:59:59Z'))).toBe('2024-05-31');
    expect(norwegianDate(new Date('2024-05-31T22:00:00Z'))).toBe('2024-06-01');
  });

  it('gives one moment the same date whatever its offset, and keeps a date as written', () => {
    for (const t of ['2025-03-04T23:30:00Z', '2025-03-05T00:30:00+01:00', '2025-03-05T01:30:00+02:00']) expect(norwegianDateOf(t)).toBe('2025-03-05');
    expect(norwegianDateOf('2025-03-04T22:30:00Z')).toBe('2025-03-04');
    expect(norwegianDateOf('2025-03-04')).toBe('2025-03-04');
  });
});
