import { CodeSystemIndex, defaultCodeLists } from './code-systems.js';
import { KODEVERK, kodeverkOid } from './oids.js';

describe('code lists from profiles/terminology', () => {
  const lists = defaultCodeLists();

  it('answers membership for a complete list', () => {
    expect(lists.contains(kodeverkOid(KODEVERK.jaNei), '1')).toBe(true);
    expect(lists.contains(kodeverkOid(KODEVERK.jaNei), '3')).toBe(false);
    expect(lists.display(kodeverkOid(KODEVERK.kjonn), '2')).toBe('Kvinne');
  });

  it('never refuses a code of a fragment or an unknown list', () => {
    expect(lists.contains(kodeverkOid(KODEVERK.idTypePerson), 'FNR')).toBe(true);
    expect(lists.contains(kodeverkOid(KODEVERK.idTypePerson), 'ZZZ')).toBeUndefined();
    expect(lists.contains(kodeverkOid(KODEVERK.legemiddelform), '99999')).toBeUndefined();
    expect(lists.contains(kodeverkOid(KODEVERK.grunnlagForIntervensjon), '206')).toBeUndefined();
  });

  it('indexes nested concepts and ignores CodeSystems without an OID url', () => {
    const index = new CodeSystemIndex([
      { resourceType: 'CodeSystem', status: 'active', content: 'complete', url: 'urn:oid:1.2.3', concept: [{ code: 'a', concept: [{ code: 'b' }] }] },
      { resourceType: 'CodeSystem', status: 'active', content: 'complete', url: 'http://example.org/cs', concept: [{ code: 'x' }] },
    ]);
    expect(index.contains('1.2.3', 'b')).toBe(true);
    expect(index.contains('1.2.3', 'c')).toBe(false);
  });
});
