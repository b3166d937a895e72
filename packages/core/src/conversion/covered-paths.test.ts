import { CoveredPaths } from './covered-paths.js';

describe('the paths a conversion mentioned', () => {
  it('counts a path and everything below it as covered, and nothing beside it', () => {
    const covered = new CoveredPaths();
    covered.mark(['entry', 0, 'resource', 'quantity']);
    covered.markBelow(['entry', 0, 'resource'], ['status', 'identifier']);
    expect(covered.isCovered(['entry', 0, 'resource', 'quantity', 'value'])).toBe(true);
    expect(covered.isCovered(['entry', 0, 'resource', 'identifier', 2])).toBe(true);
    expect(covered.isCovered(['entry', 0, 'resource', 'subject'])).toBe(false);
    expect(covered.isCovered(['entry', 1, 'resource', 'quantity'])).toBe(false);
    expect(covered.paths()).toEqual([['entry', 0, 'resource', 'quantity'], ['entry', 0, 'resource', 'status'], ['entry', 0, 'resource', 'identifier']]);
  });

  it('tells array items apart by index, however many and in whatever order they are marked', () => {
    const covered = new CoveredPaths();
    const items = 20000;
    for (let i = items - 1; i >= 0; i -= 2) covered.mark(['dosageInstruction', i, 'text']);
    expect(covered.isCovered(['dosageInstruction', items - 1, 'text'])).toBe(true);
    expect(covered.isCovered(['dosageInstruction', items - 2, 'text'])).toBe(false);
    expect(covered.find(['dosageInstruction', 1])?.path()).toEqual(['dosageInstruction', 1]);
    expect(covered.find(['dosageInstruction', 0])).toBeUndefined();
    // An index and a property with the same digits are different steps.
    covered.mark(['x', '3']);
    expect(covered.isCovered(['x', 3])).toBe(false);
    expect(covered.paths()).toHaveLength(items / 2 + 1);
  });
});
