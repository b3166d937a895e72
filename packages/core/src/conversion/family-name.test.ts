import { familyNamesAgree } from './family-name.js';

describe('familyNamesAgree', () => {
  it.each([
    ['Testberg', ['Testberg']],
    ['TESTBERG', ['testberg']],
    ['Øberg', ['Öberg']],
    ['Aasen', ['Åsen', 'Aasen']],
    ['Garcia', ['García López']],
    ['Müller-Lüdenscheidt', ['Muller']],
    ["O'Neill", ['ONeill', 'Neill']],
    ['Strauß', ['Strauss']],
    ['Ærø', ['Aero']],
  ])('%s agrees with %j', (name, others) => {
    expect(familyNamesAgree(name, others)).toBe(true);
  });

  it.each([
    ['Hansen', ['Testberg']],
    ['Berg', ['Testberg']],
    ['García López', ['Fernández']],
  ])('%s does not agree with %j', (name, others) => {
    expect(familyNamesAgree(name, others)).toBe(false);
  });

  it('has nothing to compare when either side has no name of two letters or more', () => {
    expect(familyNamesAgree('Testberg', [])).toBe(true);
    expect(familyNamesAgree('-', ['Testberg'])).toBe(true);
  });
});
