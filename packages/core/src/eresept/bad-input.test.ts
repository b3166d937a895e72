/**
 * Bad input to the message layer: every case gets typed issues with an XPath and a message; nothing
 * throws, hangs, or reaches the network or the file system.
 */
import { readM1, readM10, readM1OrThrow, writeMsgHead, type ReadOptions } from './messages.js';
import { EreseptReadError, type EreseptIssue } from './issues.js';
import { fixture } from '../test-support/eresept-fixtures.js';

const options: ReadOptions = { allowSyntheticIdentities: true };

/** A valid M1 as this project writes it: default MsgHead namespace, `m1:` and `fs:` prefixes. */
const base = (() => {
  const r = readM1(fixture('m1-pakning-dosering.xml'), options);
  if (!r.ok) throw new Error('fixture must be valid');
  return writeMsgHead(r.message.msgHead);
})();

function replaceOnce(xml: string, from: string | RegExp, to: string | ((...groups: string[]) => string)): string {
  const out = xml.replace(from, to as string);
  if (out === xml) throw new Error(`mutation did not apply: ${String(from)}`);
  return out;
}

/** The FNR with its last check digit changed. */
function withWrongCheckDigit(xml: string): string {
  return replaceOnce(xml, /(<Id>)(\d{10})(\d)(<\/Id>\s*<TypeId V="FNR")/, (_m, a: string, b: string, c: string, d: string) => `${a}${b}${(Number(c) + 1) % 10}${d}`);
}

function issuesOf(input: string | Uint8Array, opts = options): readonly EreseptIssue[] {
  const r = readM1(input, opts);
  expect(r.ok).toBe(false);
  for (const i of r.issues) {
    expect(i.xpath).toMatch(/^\//);
    expect(i.message.length).toBeGreaterThan(10);
  }
  return r.issues;
}

describe('the base message', () => {
  it('is valid, so each case below fails for its own defect only', () => {
    expect(readM1(base, options).ok).toBe(true);
  });
});

describe.each<[string, () => string | Uint8Array, EreseptIssue['code'], string | RegExp]>([
  ['malformed XML (unclosed element)', () => base.replace('</MsgHead>', ''), 'malformed', '/'],
  ['mismatched closing tag', () => replaceOnce(base, '</MsgInfo>', '</MsgInfoX>'), 'malformed', '/'],
  ['undefined entity reference', () => replaceOnce(base, '<MIGversion>', '<MIGversion>&nbsp;'), 'malformed', '/'],
  ['undeclared namespace prefix', () => replaceOnce(base, '<MIGversion>', '<zz:Foo/><MIGversion>'), 'malformed', '/'],
  ['invalid UTF-8 bytes', () => Buffer.concat([Buffer.from(base.slice(0, 200)), Buffer.from([0xc3, 0x28]), Buffer.from(base.slice(200))]), 'malformed', '/'],
  ['two root elements', () => `${base}<MsgHead/>`, 'malformed', '/'],
  ['wrong namespace on MsgHead', () => replaceOnce(base, 'xmlns="http://www.kith.no/xmlstds/msghead/2006-05-24"', 'xmlns="http://www.kith.no/xmlstds/msghead/2099-01-01"'), 'structure', /MsgHead/],
  ['no namespace at all', () => replaceOnce(base, ' xmlns="http://www.kith.no/xmlstds/msghead/2006-05-24"', ''), 'structure', '/MsgHead'],
  ['wrong namespace on Resept', () => replaceOnce(base, 'xmlns:m1="http://www.kith.no/xmlstds/eresept/m1/2013-10-08"', 'xmlns:m1="http://www.kith.no/xmlstds/eresept/m1/2010-05-01"'), 'structure', /mh:Content\/\*\[local-name\(\)='Resept'/],
  ['missing MsgId', () => replaceOnce(base, /<MsgId>[^<]*<\/MsgId>/, ''), 'required', '/mh:MsgHead/mh:MsgInfo/mh:MsgId'],
  ['MsgId that is not a UUID', () => replaceOnce(base, /<MsgId>[^<]*<\/MsgId>/, '<MsgId>resept-1</MsgId>'), 'value', '/mh:MsgHead/mh:MsgInfo/mh:MsgId'],
  ['bad date', () => replaceOnce(base, /<m1:Forskrivningsdato>[^<]*</, '<m1:Forskrivningsdato>2026-02-30<'), 'value', '/mh:MsgHead/mh:Document[1]/mh:RefDoc/mh:Content/m1:Resept/m1:Forskrivningsdato'],
  ['date in Norwegian notation', () => replaceOnce(base, /<m1:Utloper>[^<]*</, '<m1:Utloper>01.03.2027<'), 'value', /m1:Resept\/m1:Utloper$/],
  ['bad decimal', () => replaceOnce(base, /<m1:Antall>[^<]*</, '<m1:Antall>1,5<'), 'value', /m1:ReseptDokLegemiddel\/m1:Antall$/],
  ['an empty required text element', () => replaceOnce(base, /<fs:NavnFormStyrke>[^<]*</, '<fs:NavnFormStyrke> \n <'), 'required', /fs:Legemiddelpakning\/fs:NavnFormStyrke$/],
  ['a product number with whitespace inside', () => replaceOnce(base, /<fs:Varenr>[^<]*</, '<fs:Varenr>481 736<'), 'value', /fs:Legemiddelpakning\/fs:Varenr$/],
  ['an empty organisation name', () => replaceOnce(base, /<OrganisationName>[^<]*</, '<OrganisationName><'), 'required', /mh:Sender\/mh:Organisation\/mh:OrganisationName$/],
  ['a code attribute with only whitespace', () => replaceOnce(base, /(<fs:Atc V=")[^"]*"/, '$1 "'), 'required', /fs:Legemiddelpakning\/fs:Atc\/@V$/],
  ['unknown code system OID on ATC', () => replaceOnce(base, 'S="2.16.578.1.12.4.1.1.7180"', 'S="2.16.578.1.12.4.1.1.9999"'), 'code-invalid', /fs:Legemiddelpakning\/fs:Atc\/@S$/],
  ['malformed OID', () => replaceOnce(base, 'S="2.16.578.1.12.4.1.1.7180"', 'S="urn:oid:2.16.578.1.12.4.1.1.7180"'), 'value', /fs:Atc\/@S$/],
  ['code outside a complete code list', () => replaceOnce(base, /<m1:Varegruppekode V="L"/, '<m1:Varegruppekode V="X"'), 'code-invalid', /m1:Varegruppekode\/@V$/],
  ['elements out of schema order', () => replaceOnce(base.replace(/\s*<m1:Utloper>[^<]*<\/m1:Utloper>/, ''), '</m1:Forskrivningsdato>', '</m1:Forskrivningsdato><m1:Frikort>true</m1:Frikort><m1:Utloper>2027-01-01</m1:Utloper>'), 'required', /m1:Utloper$/],
  ['unknown element', () => replaceOnce(base, '</m1:Utloper>', '</m1:Utloper><m1:Hemmelig>x</m1:Hemmelig>'), 'structure', /m1:Resept\/m1:Hemmelig$/],
  ['unknown attribute', () => replaceOnce(base, '<m1:Varegruppekode ', '<m1:Varegruppekode X="1" '), 'structure', /m1:Varegruppekode\/@X$/],
  ['text inside a coded element', () => replaceOnce(base, /<m1:Varegruppekode ([^>]*)\/>/, '<m1:Varegruppekode $1>L</m1:Varegruppekode>'), 'structure', /m1:Varegruppekode$/],
  ['fødselsnummer with a wrong check digit', () => withWrongCheckDigit(base), 'value', /mh:Patient\/mh:Ident\[1\]\/mh:Id$/],
  ['negative Reiterasjon (xs:int allows it)', () => replaceOnce(base, /<m1:Reiterasjon>[^<]*</, '<m1:Reiterasjon>-1<'), 'business-rule', '/mh:MsgHead/mh:Document[1]/mh:RefDoc/mh:Content/m1:Resept/m1:ReseptDokLegemiddel/m1:Reiterasjon'],
  ['negative Antall (xs:decimal allows it)', () => replaceOnce(base, /<m1:Antall>[^<]*</, '<m1:Antall>-2<'), 'business-rule', /m1:ReseptDokLegemiddel\/m1:Antall$/],
  ['negative dose Intervall', () => replaceOnce(base, /<fs:Intervall V="[^"]*"/, '<fs:Intervall V="-1"'), 'business-rule', '/mh:MsgHead/mh:Document[1]/mh:RefDoc/mh:Content/m1:Resept/m1:ReseptDokLegemiddel/fs:Forskrivning/fs:Dosering[1]/fs:DoseFastTidspunkt[1]/fs:Intervall/@V'],
  ['zero dose Intervall', () => replaceOnce(base, /<fs:Intervall V="[^"]*"/, '<fs:Intervall V="0"'), 'business-rule', /fs:DoseFastTidspunkt\[1\]\/fs:Intervall\/@V$/],
  ['infinite dose Intervall (xs:double allows INF)', () => replaceOnce(base, /<fs:Intervall V="[^"]*"/, '<fs:Intervall V="INF"'), 'business-rule', /fs:DoseFastTidspunkt\[1\]\/fs:Intervall\/@V$/],
  ['NaN dose Intervall', () => replaceOnce(base, /<fs:Intervall V="[^"]*"/, '<fs:Intervall V="NaN"'), 'business-rule', /fs:DoseFastTidspunkt\[1\]\/fs:Intervall\/@V$/],
  ['Utloper before Forskrivningsdato', () => replaceOnce(base, /<m1:Utloper>[^<]*</, '<m1:Utloper>2001-01-01<'), 'business-rule', /m1:Utloper$/],
  ['no prescriber HPR number', () => replaceOnce(base, /<TypeId V="HPR"/, '<TypeId V="XXX"'), 'required', /mh:HealthcareProfessional\/mh:Ident$/],
  ['an M10 where an M1 is expected', () => fixture('m10-normal.xml'), 'business-rule', '/mh:MsgHead/mh:MsgInfo/mh:Type/@V'],
  ['a five-digit year (xs:date allows it, FHIR does not)', () => replaceOnce(base, /<m1:Forskrivningsdato>[^<]*</, '<m1:Forskrivningsdato>10000-01-01<'), 'value', /m1:Forskrivningsdato$/],
  ['a text value over FHIR\'s 1 MB limit', () => replaceOnce(base, /<OrganisationName>[^<]*</, `<OrganisationName>${'x'.repeat(1024 * 1024 + 1)}<`), 'too-costly', /mh:Sender\/mh:Organisation\/mh:OrganisationName$/],
  ['an attribute value over FHIR\'s 1 MB limit', () => replaceOnce(base, /(<fs:Atc [^>]*DN=")[^"]*"/, `$1${'x'.repeat(1024 * 1024 + 1)}"`), 'too-costly', /fs:Legemiddelpakning\/fs:Atc\/@DN$/],
  ['a 20 MB message', () => base.replace('</MsgHead>', `<!--${'x'.repeat(20 * 1024 * 1024)}--></MsgHead>`), 'too-costly', '/'],
  ['elements nested 100,000 deep', () => base.replace('</MsgHead>', `${'<a>'.repeat(100000)}${'</a>'.repeat(100000)}</MsgHead>`), 'too-costly', '/'],
  [
    'entity expansion (billion laughs)',
    () => `<?xml version="1.0"?><!DOCTYPE MsgHead [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>${base.replace(/^<\?xml[^>]*>/, '').replace('<MIGversion>', '<MIGversion>&d;')}`,
    'security',
    '/',
  ],
  [
    'external entity (XXE) reference',
    () => `<?xml version="1.0"?><!DOCTYPE MsgHead [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${base.replace(/^<\?xml[^>]*>/, '').replace('<MIGversion>', '<MIGversion>&xxe;')}`,
    'security',
    '/',
  ],
  [
    'external DTD reference over the network',
    () => `<?xml version="1.0"?><!DOCTYPE MsgHead SYSTEM "http://127.0.0.1:9/evil.dtd">${base.replace(/^<\?xml[^>]*>/, '')}`,
    'security',
    '/',
  ],
])('%s', (_name, make, code, xpath) => {
  it(`gives a ${code} issue at the offending place`, () => {
    const issues = issuesOf(make());
    expect(issues).toContainEqual(
      expect.objectContaining({ severity: 'error', code, xpath: typeof xpath === 'string' ? xpath : expect.stringMatching(xpath) }),
    );
  });
});

describe('text around and instead of values', () => {
  it('is not part of the value, and an optional element with only whitespace counts as absent', () => {
    const xml = replaceOnce(replaceOnce(base, /<fs:Varenr>([^<]*)</, '<fs:Varenr>\n  $1  <'), /(<m1:Antall>[^<]*<\/m1:Antall>)/, '$1<m1:Merknad>  </m1:Merknad>');
    const r = readM1(xml, options);
    if (!r.ok) throw new Error(r.issues.map((i) => `${i.xpath} ${i.message}`).join('; '));
    expect(r.message.resept.reseptDokLegemiddel?.forskrivning.legemiddelpakning?.varenr).toBe('481736');
    expect(r.message.resept.reseptDokLegemiddel && 'merknad' in r.message.resept.reseptDokLegemiddel).toBe(false);
  });
});

describe('limits are configurable', () => {
  it('refuses a message over maxBytes without parsing it', () => {
    const issues = issuesOf(base, { ...options, maxBytes: 1000 });
    expect(issues).toEqual([expect.objectContaining({ code: 'too-costly', xpath: '/' })]);
  });
});

describe('synthetic identities', () => {
  it('are refused unless the environment allows them', () => {
    const r = readM1(base);
    expect(r.ok).toBe(false);
    expect(r.issues).toContainEqual(expect.objectContaining({ code: 'value', message: expect.stringContaining('test environment') }));
  });
});

describe('the M10 reader', () => {
  it('refuses an M1 where an M10 is expected', () => {
    const r = readM10(base, options);
    expect(r.ok).toBe(false);
    expect(r.issues[0]).toMatchObject({ code: 'business-rule', xpath: '/mh:MsgHead/mh:MsgInfo/mh:Type/@V' });
  });
});

describe('M10 rules beyond the XSD', () => {
  const normal = fixture('m10-normal.xml');
  const EGENANDEL = /<(?:\w+:)?Egenandel>[\s\S]*?<\/(?:\w+:)?Egenandel>\s*/;
  it.each<[string, string, string, RegExp]>([
    ['annulment and cancellation in one message', fixture('m10-annullering.xml').replace(/(<\/ul:Utlevering>)/, '$1<Kanselleringskode V="1" DN="Ikke ønsket vare"/>'), 'business-rule', /m10:Kanselleringskode$/],
    ['annulment without AnnulleringsId', fixture('m10-annullering.xml').replace(/<ul:AnnulleringsId>[^<]*<\/ul:AnnulleringsId>/, ''), 'required', /ul:AnnulleringsId$/],
    ['two Egenandel periods instead of four', normal.replace(EGENANDEL, '').replace(EGENANDEL, ''), 'structure', /Egenandel$/],
  ])('%s', (_name, xml, code, xpath) => {
    const r = readM10(xml, options);
    expect(r.ok).toBe(false);
    expect(r.issues).toContainEqual(expect.objectContaining({ severity: 'error', code, xpath: expect.stringMatching(xpath) }));
  });
});

describe('amounts and time spans of a dose when needed', () => {
  const asNeeded = fixture('m1-etter-behov-barn.xml');
  it.each<[string, RegExp, string, string]>([
    ['negative Tidsrom', /(<(?:\w+:)?Tidsrom V=")[^"]*"/, '-12', 'Tidsrom'],
    ['zero Tidsrom', /(<(?:\w+:)?Tidsrom V=")[^"]*"/, '0', 'Tidsrom'],
    ['negative DoseIntervallMin', /(<(?:\w+:)?DoseIntervallMin V=")[^"]*"/, '-6', 'DoseIntervallMin'],
    ['negative dose', /(<(?:\w+:)?Mengde V=")[^"]*"/, '-1', 'Mengde'],
    ['infinite daily maximum', /(<(?:\w+:)?DoseDognMaks V=")[^"]*"/, 'INF', 'DoseDognMaks'],
    ['zero maximum per period', /(<(?:\w+:)?DoseTidsromMaks V=")[^"]*"/, '0', 'DoseTidsromMaks'],
  ])('%s is a business-rule issue at its @V', (_name, from, value, local) => {
    const issues = issuesOf(replaceOnce(asNeeded, from, `$1${value}"`));
    expect(issues).toContainEqual(expect.objectContaining({
      severity: 'error', code: 'business-rule', xpath: expect.stringMatching(new RegExp(`fs:DoseEtterBehov\\[1\\]/fs:${local}/@V$`)),
    }));
  });

  it('accepts a zero DoseIntervallMin (no minimum between doses)', () => {
    expect(readM1(replaceOnce(asNeeded, /(<(?:\w+:)?DoseIntervallMin V=")[^"]*"/, '$10"'), options).ok).toBe(true);
  });
});

describe('readM1OrThrow', () => {
  it('throws an EreseptReadError carrying every issue', () => {
    const bad = replaceOnce(base, /<MsgId>[^<]*<\/MsgId>/, '');
    expect(() => readM1OrThrow(bad, options)).toThrow(EreseptReadError);
    try {
      readM1OrThrow(bad, options);
    } catch (e) {
      expect((e as EreseptReadError).issues.length).toBeGreaterThan(0);
      expect((e as Error).message).toMatch(/MsgId/);
    }
  });
});
