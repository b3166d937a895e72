import { validateEreseptMessage } from './validate-message.js';
import { fixture, xsdAvailable, xsdValidator } from '../test-support/eresept-fixtures.js';

const options = { allowSyntheticIdentities: true };
const xsdIt = xsdAvailable() ? it : it.skip;

describe('validateEreseptMessage', () => {
  it('tells M1 from M10 and finds nothing wrong in valid messages', () => {
    expect(validateEreseptMessage(fixture('m1-magistrell.xml'), options)).toEqual({ kind: 'M1', issues: [] });
    expect(validateEreseptMessage(fixture('m10-normal.xml'), options)).toEqual({ kind: 'M10', issues: [] });
  });

  xsdIt('adds the official XSD findings to its own, with the XSD line number', async () => {
    const xsd = await xsdValidator();
    const bad = fixture('m1-magistrell.xml').replace(/<(\w+:)?Utloper>[^<]*<\/(\w+:)?Utloper>/, '');
    const result = validateEreseptMessage(bad, { ...options, xsd });
    expect(result.kind).toBeUndefined();
    expect(result.issues).toContainEqual(expect.objectContaining({ code: 'required', xpath: expect.stringMatching(/m1:Utloper$/) }));
    expect(result.issues).toContainEqual(expect.objectContaining({ xpath: '/', message: expect.stringMatching(/^line \d+: .*Utloper/) }));
  });

  xsdIt('reports a syntax error once, not again from the XSD', async () => {
    const xsd = await xsdValidator();
    const result = validateEreseptMessage('<MsgHead><unclosed></MsgHead>', { ...options, xsd });
    expect(result.issues).toHaveLength(1);
    expect(result.issues[0]).toMatchObject({ code: 'malformed' });
  });
});
