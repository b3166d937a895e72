import { ereseptMsgHead, readM1, readM10, writeMsgHead, type M1Message } from './messages.js';
import { NS } from './namespaces.js';
import { serializeXml } from './xml/serialize-xml.js';
import { fixture, fixtureNames, xsdAvailable, xsdValidator } from '../test-support/eresept-fixtures.js';

const options = { allowSyntheticIdentities: true };
const xsdIt = xsdAvailable() ? it : it.skip;

function m1(name: string): M1Message {
  const r = readM1(fixture(name), options);
  if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.issues, null, 1)}`);
  return r.message;
}

describe.each(fixtureNames('m1-'))('M1 fixture %s', (name) => {
  it('reads with no issues', () => {
    const r = readM1(fixture(name), options);
    expect(r.issues).toEqual([]);
    expect(r.ok).toBe(true);
  });

  it('round trip: read → write → read gives an equal model', () => {
    const first = m1(name);
    const again = readM1(writeMsgHead(first.msgHead), options);
    expect(again.ok && again.message).toEqual(first);
  });

  xsdIt('validates against the official XSD, as written and as re-written', async () => {
    const xsd = await xsdValidator();
    expect(xsd.validate(fixture(name))).toEqual([]);
    expect(xsd.validate(writeMsgHead(m1(name).msgHead))).toEqual([]);
  });
});

describe.each(fixtureNames('m10-'))('M10 fixture %s', (name) => {
  it('reads with no issues, and round-trips to an equal model', () => {
    const r = readM10(fixture(name), options);
    expect(r.issues).toEqual([]);
    if (!r.ok) return;
    const again = readM10(writeMsgHead(r.message.msgHead), options);
    expect(again.ok && again.message).toEqual(r.message);
  });

  xsdIt('validates against the official XSD, as written and as re-written', async () => {
    const xsd = await xsdValidator();
    const r = readM10(fixture(name), options);
    expect(xsd.validate(fixture(name))).toEqual([]);
    expect(r.ok && xsd.validate(writeMsgHead(r.message.msgHead))).toEqual([]);
  });
});

describe('what the M1 reader gives', () => {
  it('takes the ReseptId from MsgHead/MsgInfo/MsgId', () => {
    const msg = m1('m1-pakning-dosering.xml');
    expect(msg.reseptId).toBe(msg.msgHead.msgInfo.msgId);
    expect(msg.reseptId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps coded values exactly (V, S and DN) and parses numbers', () => {
    const dok = m1('m1-pakning-dosering.xml').resept.reseptDokLegemiddel;
    const pakning = dok?.forskrivning.legemiddelpakning;
    expect(pakning?.atc?.s).toBe('2.16.578.1.12.4.1.1.7180');
    expect(pakning?.atc?.v).toMatch(/^[A-Z]\d{2}[A-Z]{2}\d{2}$/);
    expect(pakning?.atc?.dn).toBeTruthy();
    expect(pakning?.varenr).toMatch(/^\d{6}$/);
    expect(dok?.reiterasjon).toBe(2);
    expect(typeof dok?.antall).toBe('number');
    const dose = dok?.forskrivning.dosering?.[0]?.doseFastTidspunkt?.[0];
    expect(typeof dose?.mengde.v).toBe('number');
  });

  it('reads each of the product kinds', () => {
    expect(m1('m1-merkevare-kortdose.xml').resept.reseptDokLegemiddel?.forskrivning.legemiddelMerkevare?.varenavn).toBeTruthy();
    expect(m1('m1-virkestoff-dnummer.xml').resept.reseptDokLegemiddel?.forskrivning.legemiddelVirkestoff?.id).toBeTruthy();
    const blanding = m1('m1-magistrell.xml').resept.reseptDokLegemiddel?.forskrivning.legemiddelblanding;
    expect(blanding?.bestanddelVirkestoff?.[0]?.styrke?.teller.v).toEqual(expect.any(Number));
    expect(blanding?.bestanddelAnnet?.[0]?.utblanding?.adqs).toBeDefined();
  });

  it('reads substitution reservation, blå resept and as-needed dosage', () => {
    expect(m1('m1-merkevare-kortdose.xml').resept.reseptDokLegemiddel?.bytteresRekvirent).toEqual({ v: '1', dn: 'Ja' });
    const blaa = m1('m1-blaa-resept-icpc.xml').resept.reseptDokLegemiddel;
    expect(blaa?.refHjemmel).toMatchObject({ v: '200', s: '2.16.578.1.12.4.1.1.7427' });
    expect(blaa?.refKode?.s).toBe('2.16.578.1.12.4.1.1.7170');
    const behov = m1('m1-etter-behov-barn.xml').resept.reseptDokLegemiddel?.forskrivning.dosering?.[0]?.doseEtterBehov?.[0];
    expect(behov?.doseDognMaks.v).toEqual(expect.any(Number));
  });

  it('reads a D-nummer patient with the DateOfBirth the number implies', () => {
    const patient = m1('m1-virkestoff-dnummer.xml').msgHead.msgInfo.patient;
    expect(patient?.ident?.[0]?.typeId.v).toBe('DNR');
    expect(patient?.dateOfBirth).toBe('1985-02-07');
  });
});

describe('namespaces are matched by URI, not by prefix', () => {
  it('reads the same model whatever prefixes the sender chose', () => {
    const original = m1('m1-pakning-dosering.xml');
    const tree = ereseptMsgHead.encode(original.msgHead, NS.msgHead, 'MsgHead');
    const exotic = serializeXml(tree, {
      prefixes: { [NS.msgHead]: 'hode', [NS.m1]: '', [NS.forskrivning]: 'x', [NS.felleskomponent1]: 'f' },
      pretty: false,
    });
    expect(exotic).toContain('<hode:MsgHead');
    const r = readM1(exotic, options);
    expect(r.ok && r.message).toEqual(original);
  });
});

describe('a signed M1', () => {
  const signature = (xml: string) => xml.slice(xml.indexOf('<ds:SignedInfo>'), xml.indexOf('</ds:Signature>'));

  it('keeps ds:Signature as it was read, and writes it back byte for byte inside (no indentation added)', () => {
    const read = m1('m1-signert.xml');
    expect(read.msgHead.signature).toMatchObject({ ns: NS.xmldsig, local: 'Signature' });
    const written = writeMsgHead(read.msgHead);
    expect(signature(written)).toBe(signature(fixture('m1-signert.xml')));
    expect(signature(written)).toContain('<ds:X509Certificate>MII');
  });
});

describe('what the M10 reader gives', () => {
  it('links the dispensing to the prescription by ReseptId', () => {
    const prescription = m1('m1-pakning-dosering.xml');
    const r = readM10(fixture('m10-normal.xml'), options);
    expect(r.ok && r.message.utleveringsrapport.utlevering.reseptId).toBe(prescription.reseptId);
  });

  it('reads annulment, substitution reservation and a "valgt annen vare" intervention', () => {
    const annul = readM10(fixture('m10-annullering.xml'), options);
    expect(annul.ok && annul.message.utleveringsrapport.utlevering).toMatchObject({ annullering: true, annulleringsId: expect.any(String) });
    const reserve = readM10(fixture('m10-byttereservasjon.xml'), options);
    expect(reserve.ok && reserve.message.utleveringsrapport.utlevering.byttereservasjonKunde).toBe(true);
    const intervention = readM10(fixture('m10-intervensjon-valgt-annen-vare.xml'), options);
    expect(intervention.ok && intervention.message.utleveringsrapport.utlevering.intervensjon?.[0]?.endringsType).toMatchObject({ v: 'V' });
  });

  it('carries the four Egenandel periods', () => {
    const r = readM10(fixture('m10-normal.xml'), options);
    expect(r.ok && r.message.utleveringsrapport.egenandel).toHaveLength(4);
  });
});
