import type { Bundle } from '@medplum/fhirtypes';
import { BundleReferences, referencedInBundle, repeatedFullUrl, resolveInBundle } from './fhir-bundle.js';
import { Refused } from './refusal.js';

const bundle: Bundle = {
  resourceType: 'Bundle',
  type: 'collection',
  entry: [
    { fullUrl: 'urn:uuid:a', resource: { resourceType: 'Patient', id: 'p1' } },
    { fullUrl: 'urn:uuid:b', resource: { resourceType: 'Organization', id: 'o1' } },
    { fullUrl: 'Patient/p1', resource: { resourceType: 'Organization', id: 'o2' } },
  ],
};

describe('references inside a Bundle', () => {
  it('resolve by fullUrl or by Type/id, to the first entry that answers, as a scan from the start would', () => {
    const refs = new BundleReferences(bundle);
    expect(refs.resolve({ reference: 'urn:uuid:b' })).toMatchObject({ path: ['entry', 1, 'resource'] });
    expect(refs.resolve({ reference: 'Organization/o1' })?.path).toEqual(['entry', 1, 'resource']);
    // Entry 0 is Patient/p1 by its id, entry 2 by its fullUrl: the first one is meant.
    expect(refs.resolve({ reference: 'Patient/p1' })?.resource.resourceType).toBe('Patient');
    expect(resolveInBundle(bundle, { reference: 'Patient/p1' })?.path).toEqual(['entry', 0, 'resource']);
  });

  it('find nothing for a reference to no entry, to an entry of another type than asked, or no reference', () => {
    const refs = new BundleReferences(bundle);
    expect(refs.resolve({ reference: 'urn:uuid:zzz' })).toBeUndefined();
    expect(refs.resolve({ reference: 'urn:uuid:a' }, 'Organization')).toBeUndefined();
    expect(refs.resolve({ display: 'no reference' })).toBeUndefined();
    expect(refs.resolve(undefined)).toBeUndefined();
  });

  it('refuse a reference the conversion reads when it leads elsewhere, naming it and where', () => {
    expect(() => referencedInBundle(bundle, { reference: 'urn:uuid:a' }, 'Organization', ['entry', 3, 'resource', 'organization'], 'organization'))
      .toThrow(expect.objectContaining({ kind: 'invalid', path: ['entry', 3, 'resource', 'organization'], message: 'organization must refer to a Organization in the Bundle' }) as Refused);
    expect(referencedInBundle(bundle, undefined, 'Organization', [], 'organization')).toBeUndefined();
  });

  it('find the first repeated fullUrl, with the entry it repeats', () => {
    expect(repeatedFullUrl(bundle)).toBeUndefined();
    expect(repeatedFullUrl({ ...bundle, entry: [...bundle.entry!, { fullUrl: 'urn:uuid:b' }] })).toEqual({ index: 3, first: 1 });
  });

  it('resolve each of many references to many entries (the index answers every one, as the scan of a small Bundle does)', () => {
    const many: Bundle = { resourceType: 'Bundle', type: 'collection', entry: Array.from({ length: 5000 }, (_, i) => ({ fullUrl: `urn:uuid:${i}`, resource: { resourceType: 'Patient' as const, id: `p${i}` } })) };
    const refs = new BundleReferences(many);
    for (let i = 0; i < 5000; i += 499) expect(refs.resolve({ reference: `Patient/p${i}` })?.path[1]).toBe(i);
    const large = new BundleReferences({ ...bundle, entry: [...bundle.entry!, ...many.entry!] });
    expect(large.resolve({ reference: 'Patient/p1' })?.path).toEqual(['entry', 0, 'resource']);
    expect(large.resolve({ reference: 'urn:uuid:4999' })?.path).toEqual(['entry', 5002, 'resource']);
    expect(large.resolve({ reference: 'Patient/p' })).toBeUndefined();
  });
});
