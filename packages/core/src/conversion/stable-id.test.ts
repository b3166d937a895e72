import { createHash } from 'node:crypto';
import { stableUrn, stableUrns, stableUuid, uuidOfUrn } from './stable-id.js';

const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('stable ids', () => {
  it('is the SHA-1 of the parts with the version and variant of RFC 4122 set', () => {
    const hex = createHash('sha1').update('a\u0000b').digest('hex');
    const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
    const expected = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
    expect(stableUuid('a', 'b')).toBe(expected);
    expect(stableUrn('a', 'b')).toBe(`urn:uuid:${expected}`);
  });

  it('gives a Bundle its stableUrn and each role its own UUID, the same every time', () => {
    const ids = stableUrns('eu-eprescription', 'c2a3f0c4-6a0e-4d36-9d8e-0b1f3c1e2a10');
    expect(ids.urn).toBe(stableUrn('eu-eprescription', 'c2a3f0c4-6a0e-4d36-9d8e-0b1f3c1e2a10'));
    const roles = ['Patient', 'Practitioner', 'PractitionerRole', 'Organization', 'Medication', 'MedicationRequest'];
    const urns = roles.map((r) => ids.of(r));
    expect(new Set([...urns, ids.urn]).size).toBe(roles.length + 1);
    for (const urn of urns) expect(uuidOfUrn(urn)).toMatch(UUID_V5);
    expect(roles.map((r) => stableUrns('eu-eprescription', 'c2a3f0c4-6a0e-4d36-9d8e-0b1f3c1e2a10').of(r))).toEqual(urns);
  });

  it('gives the same role of two Bundles different UUIDs', () => {
    const a = stableUrns('eu-edispensation', 'one');
    const b = stableUrns('eu-edispensation', 'two');
    expect(a.of('Patient')).not.toBe(b.of('Patient'));
    // Ids made one after the other share no text buffer: an earlier one keeps its value.
    const first = a.of('Medication');
    b.of('Medication');
    expect(first).toBe(a.of('Medication'));
  });
});
