import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../test-support/eresept-fixtures.js';
import { ConceptMapIndex, loadConceptMaps } from './concept-maps.js';

describe('terminology as data', () => {
  it('docs/terminology-maps.md is generated from the current ConceptMaps', () => {
    expect(() => execFileSync(process.execPath, [join(REPO_ROOT, 'scripts/terminology-tables.js'), '--check'], { stdio: 'pipe' })).not.toThrow();
  });

  it('the reverse ConceptMaps are current and every terminology file passes the data checks', () => {
    expect(() => execFileSync(process.execPath, [join(REPO_ROOT, 'scripts/terminology/reverse-concept-maps.mjs'), '--check'], { stdio: 'pipe' })).not.toThrow();
  });

  it('every ConceptMap element has a target with an equivalence', () => {
    for (const map of loadConceptMaps()) {
      for (const group of map.group ?? []) {
        for (const element of group.element ?? []) {
          expect({ map: map.id, code: element.code, ok: (element.target ?? []).length > 0 && (element.target ?? []).every((t) => !!t.equivalence) }).toMatchObject({ ok: true });
        }
      }
    }
  });

  it('translates by code and by display text, exact matches first, and never through unmatched', () => {
    const index = new ConceptMapIndex([
      {
        resourceType: 'ConceptMap', status: 'draft', url: 'urn:test',
        group: [{ source: 'urn:s', target: 'urn:t', element: [
          { code: 'a', display: 'Tablett', target: [{ code: 'x', equivalence: 'wider' }, { code: 'y', equivalence: 'equivalent' }] },
          { code: 'b', target: [{ equivalence: 'unmatched', comment: 'none' }] },
        ] }],
      },
    ]);
    expect(index.translate('urn:s', 'a', 'urn:t').map((t) => t.code)).toEqual(['y', 'x']);
    expect(index.translateText('urn:s', ' tablett ', 'urn:t')[0]?.code).toBe('y');
    expect(index.translate('urn:s', 'b', 'urn:t')).toEqual([]);
  });
});
