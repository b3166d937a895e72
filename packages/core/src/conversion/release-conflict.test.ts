import { readM1OrThrow } from '../eresept/messages.js';
import { fixture } from '../test-support/eresept-fixtures.js';
import { convertM1ToEuPrescription, type ReleasedPrescription } from './m1-to-eu-prescription.js';
import { releaseConflict } from './release-conflict.js';

const M1 = 'm1-pakning-dosering.xml';
const releaseOf = (xml: string, now: string) => {
  const m1 = readM1OrThrow(xml, { allowSyntheticIdentities: true });
  const { release } = convertM1ToEuPrescription(m1, { now: new Date(now) });
  if (!release) throw new Error('must be released');
  return { m1, release };
};
/** As the store gives it back: JSON. */
const stored = (r: ReleasedPrescription): ReleasedPrescription => JSON.parse(JSON.stringify(r)) as ReleasedPrescription;

describe('releaseConflict', () => {
  const first = releaseOf(fixture(M1), '2024-06-10T08:00:00Z');

  it('finds none for the same M1 sent again later, or with another GenDate (a retry)', () => {
    const later = releaseOf(fixture(M1).replace('<GenDate>2024-03-04T10:15:32+01:00</GenDate>', '<GenDate>2024-03-05T09:00:00+01:00</GenDate>'), '2024-06-11T08:00:00Z');
    expect(releaseConflict(later.m1, stored(first.release), later.release)).toBeUndefined();
  });

  it.each([
    ['another number of packages', '<ns1:Antall>1</ns1:Antall>', '<ns1:Antall>3</ns1:Antall>', 'prescribed product, quantity, dosage or repeats', /\/m1:ReseptDokLegemiddel$/],
    ['another patient name', '<GivenName>Kari</GivenName>', '<GivenName>Kari Anne</GivenName>', 'patient', /^\/mh:MsgHead\/mh:MsgInfo\/mh:Patient$/],
  ])('is a conflict at its place for %s', (_name, from, to, what, where) => {
    const xml = fixture(M1);
    expect(xml).toContain(from);
    const changed = releaseOf(xml.replace(from, to), '2024-06-11T08:00:00Z');
    const outcome = releaseConflict(changed.m1, stored(first.release), changed.release);
    expect(outcome?.issue?.[0]).toMatchObject({ severity: 'error', code: 'conflict', location: [expect.stringMatching(where)], diagnostics: expect.stringContaining(`with another ${what}`) });
    expect(outcome?.issue?.[0]?.diagnostics).toContain(first.release.releasedAt);
  });
});
