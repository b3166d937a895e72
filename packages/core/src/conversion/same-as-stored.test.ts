import { sameAsStored } from './same-as-stored.js';

describe('sameAsStored', () => {
  it('counts undefined properties as absent and ignores the order of keys', () => {
    const stored = JSON.parse('{"b":1,"a":{"y":[1,2],"x":"v"}}') as unknown;
    expect(sameAsStored(stored, { a: { x: 'v', y: [1, 2], z: undefined }, b: 1 })).toBe(true);
  });

  it('tells apart another value, another order of array items, and nothing from something', () => {
    expect(sameAsStored({ a: 1 }, { a: 2 })).toBe(false);
    expect(sameAsStored({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(sameAsStored({ a: 1 }, undefined)).toBe(false);
    expect(sameAsStored(undefined, undefined)).toBe(true);
  });
});
