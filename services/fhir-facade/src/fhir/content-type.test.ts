/**
 * The XML body's character encoding (RFC 7303): a `charset` parameter decides; without one, the XML
 * declaration (or UTF-8, BOM respected) does. A JSON body is UTF-8 (RFC 8259). Bytes invalid in the
 * encoding get a 4xx OperationOutcome saying where, never a replacement character.
 */
import { readFileSync } from 'node:fs';
import type { OperationOutcome, Parameters } from '@medplum/fhirtypes';
import request from 'supertest';
import { DEFAULT_FOREIGN_PHARMACY, FhirValidator } from '@ehds-no/core';
import { fixture } from '../../../../packages/core/src/test-support/eresept-fixtures.js';
import { createApp } from '../app.js';
import { SCOPE } from '../auth/caller.js';
import { devIssuer, type DevIssuer } from '../auth/token-verifier.js';
import { DEV_TOKEN_AUDIENCE } from '../config.js';
import { ConformanceRepository } from '../conformance/repository.js';
import { createLogger } from '../logging.js';
import type { Database } from '../storage/database.js';
import { AuditStore } from '../storage/audit-store.js';
import { EprescriptionStore } from '../storage/eprescription-store.js';
import { testDatabase } from '../test-support/test-database.js';
import { controlCharacterAt, firstInvalidBytes } from './content-type.js';

const CONVERT = '/fhir/$convert-m1-to-eu';
/** A UTF-8 fixture whose text outside ASCII is all Latin-1 (ø in "Besøksadresse", "døgn", …). */
const utf8 = fixture('m1-pakning-dosering.xml');
const DECLARED_UTF8 = /^<\?xml version="1\.0" encoding="UTF-8"\?>/;
/** The same message as ISO-8859-1 bytes, declared as such. */
const latin1 = Buffer.from(utf8.replace(DECLARED_UTF8, '<?xml version="1.0" encoding="ISO-8859-1"?>'), 'latin1');

let db: Database;
let issuer: DevIssuer;
let token: string;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  issuer = await devIssuer(DEV_TOKEN_AUDIENCE);
  token = await issuer.mint({ scope: Object.values(SCOPE).join(' '), 'helseid://claims/hpr/hpr_number': '565104311' });
});
beforeEach(async () => {
  db = await testDatabase();
  app = createApp({
    version: 'test',
    logger: createLogger({ write: () => undefined }),
    db,
    conformance: new ConformanceRepository(),
    devIssuer: issuer,
    eprescription: {
      store: new EprescriptionStore(db), audit: new AuditStore(db), verifier: issuer, allowSyntheticIdentities: true,
      foreignPharmacy: DEFAULT_FOREIGN_PHARMACY, now: () => new Date('2024-06-10T08:00:00Z'),
    },
  });
});
afterEach(async () => db.close());

const post = (contentType: string, body: Buffer) =>
  request(app).post(CONVERT).set('Authorization', `Bearer ${token}`).set('Content-Type', contentType).send(body);

/** The sender's address type, which the conversion report names (it has no EU element). */
const CARRIED_O_SLASH = 'Besøksadresse';
/** Where the response shows it: the report's issue about the address type. */
const SHOWN = `address type RES ${CARRIED_O_SLASH} has no mapping`;

describe('an ISO-8859-1 M1', () => {
  it('fixture check: the test message is ISO-8859-1 and has ø in it', () => {
    expect(utf8).toMatch(DECLARED_UTF8);
    expect(latin1.includes(Buffer.from('Bes\xf8ksadresse', 'latin1'))).toBe(true);
    expect(latin1.includes(Buffer.from('ø', 'utf8'))).toBe(false);
  });

  it.each(['application/xml', 'text/xml', 'application/xml; charset=ISO-8859-1', 'application/xml;charset="iso-8859-1"'])(
    'keeps ø when sent as %s',
    async (contentType) => {
      const res = await post(contentType, latin1).expect(200);
      const text = JSON.stringify(res.body as Parameters);
      expect(text).toContain(SHOWN);
      expect(text).not.toContain('\uFFFD');
      expect(text).not.toContain('Ã¸');
    },
  );

  it('gives the same bundle as the UTF-8 original', async () => {
    const fromLatin1 = (await post('application/xml', latin1).expect(200)).body as Parameters;
    const fromUtf8 = (await post('application/xml', Buffer.from(utf8, 'utf8')).expect(200)).body as Parameters;
    expect(fromLatin1.parameter?.[0]).toEqual(fromUtf8.parameter?.[0]);
  });
});

describe('a UTF-8 M1', () => {
  it.each([
    ['with charset=utf-8', 'application/xml; charset=utf-8', Buffer.from(utf8, 'utf8')],
    ['with a byte order mark and no charset', 'application/xml', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(utf8, 'utf8')])],
  ])('is read %s', async (_name, contentType, body) => {
    const res = await post(contentType, body).expect(200);
    expect(JSON.stringify(res.body)).toContain(SHOWN);
  });
});

describe('bytes that are not valid in the declared encoding', () => {
  const issueOf = (body: unknown) => (body as OperationOutcome).issue?.[0];

  it('declared by the XML declaration only: 400 with the reader\'s OperationOutcome at /', async () => {
    // Latin-1 bytes under the fixture's own declaration, encoding="UTF-8": ø is the lone byte 0xF8.
    const lying = Buffer.from(utf8, 'latin1');
    const res = await post('application/xml', lying).expect(400);
    expect(res.body).toMatchObject({ resourceType: 'OperationOutcome' });
    expect(issueOf(res.body)).toMatchObject({ severity: 'error', location: ['/'], diagnostics: expect.stringContaining('cannot be decoded') });
  });

  it('declared by the charset parameter: 400 OperationOutcome at / naming the line', async () => {
    const res = await post('application/xml; charset=utf-8', latin1).expect(400);
    expect(res.body).toMatchObject({ resourceType: 'OperationOutcome' });
    expect(issueOf(res.body)).toMatchObject({ severity: 'error', code: 'invalid', location: ['/'], diagnostics: expect.stringMatching(/not valid utf-8.*line \d+/) });
  });

  it('an unknown charset: 415 OperationOutcome', async () => {
    const res = await post('application/xml; charset=klingon-8', latin1).expect(415);
    expect(issueOf(res.body)).toMatchObject({ severity: 'error', code: 'not-supported', diagnostics: expect.stringContaining('klingon-8') });
  });
});

describe('firstInvalidBytes', () => {
  const at = (bytes: number[]) => firstInvalidBytes(Uint8Array.from(bytes), 'utf-8');

  it('is undefined for valid UTF-8, a replacement character written as such included', () => {
    expect(at([0x61, 0xef, 0xbf, 0xbd, 0xc3, 0xb8])).toBeUndefined();
  });

  it.each([
    ['a lone continuation byte', [0x61, 0x0a, 0x62, 0x80, 0x63], 3, 'a\nb'],
    ['0xFF', [0x61, 0xff], 1, 'a'],
    ['an overlong encoding', [0x61, 0xc0, 0x80], 1, 'a'],
    ['an encoded surrogate', [0x61, 0xed, 0xa0, 0x80], 2, 'a'],
    ['a character cut at the end', [0x61, 0x62, 0xe2, 0x82], 4, 'ab'],
  ])('finds %s and the text before it', (_what, bytes, offset, before) => {
    expect(at(bytes)).toEqual({ offset, before });
  });
});

describe('a JSON body', () => {
  const RENDER = '/fhir/$render-eu-prescription';
  const prescription = readFileSync(new URL('../../../../test-data/eu/ep-se-amoxicillin-valid.json', import.meta.url), 'utf8');
  /** The patient's family name: the pharmacy view showed "Maja Testberg�(" for the bytes below. */
  const NAME = 'Testberg';
  /** The fixture with the bytes 0xFF 0x28 (not UTF-8) right after the patient's family name. */
  const broken = (): Buffer => {
    const at = Buffer.byteLength(prescription.slice(0, prescription.indexOf(NAME) + NAME.length));
    const bytes = Buffer.from(prescription, 'utf8');
    return Buffer.concat([bytes.subarray(0, at), Buffer.from([0xff, 0x28]), bytes.subarray(at)]);
  };
  const line = prescription.slice(0, prescription.indexOf(NAME)).split('\n').length;
  if (!prescription.includes(`"${NAME}"`)) throw new Error(`fixture check: the prescription names ${NAME}`);
  // superagent would send a Buffer under a JSON media type as JSON ({"type": "Buffer", …}): the bytes go as they are.
  const asBytes = ((body: Buffer) => body) as unknown as (body: unknown) => string;
  const render = (contentType: string, body: Buffer) =>
    request(app).post(RENDER).set('Authorization', `Bearer ${token}`).set('Accept', 'application/json').set('Content-Type', contentType).serialize(asBytes).send(body);
  let validating: ReturnType<typeof createApp>;
  beforeAll(() => {
    validating = createApp({ version: 'test', logger: createLogger({ write: () => undefined }), validation: { verifier: issuer, validator: new FhirValidator(), allowSyntheticIdentities: true } });
  });
  const validate = (contentType: string, body: Buffer) =>
    request(validating).post('/fhir/$validate').set('Authorization', `Bearer ${token}`).set('Content-Type', contentType).serialize(asBytes).send(body);
  const issueOf = (body: unknown) => (body as OperationOutcome).issue?.[0];

  it('fixture check: the name is there, and the pharmacy view shows it', async () => {
    const res = await render('application/fhir+json', Buffer.from(prescription, 'utf8')).expect(200);
    expect(JSON.stringify(res.body)).toContain(NAME);
  });

  it.each(['application/fhir+json', 'application/json; charset=utf-8', 'application/fhir+json;charset="UTF-8"'])('with bytes that are not UTF-8 is refused (400 at line and column), sent as %s', async (contentType) => {
    const res = await render(contentType, broken()).expect(400);
    expect(JSON.stringify(res.body)).not.toContain('\uFFFD');
    expect(issueOf(res.body)).toMatchObject({ severity: 'error', code: 'invalid', location: [expect.stringMatching(new RegExp(`^line ${line}, column \\d+$`))], diagnostics: expect.stringMatching(/not valid UTF-8 at byte \d+/) });
  });

  it('with bytes that are not UTF-8 is refused by $validate too, instead of "no issues"', async () => {
    const res = await validate('application/fhir+json', broken()).expect(400);
    expect(issueOf(res.body)?.location?.[0]).toMatch(new RegExp(`^line ${line}, `));
  });

  it.each(['utf-7', 'utf-16', 'iso-8859-1', 'klingon-8'])('declared as charset=%s is refused with 415 naming the charset', async (charset) => {
    for (const res of [await render(`application/fhir+json; charset=${charset}`, Buffer.from(prescription, 'utf8')), await validate(`application/fhir+json; charset=${charset}`, Buffer.from(prescription, 'utf8'))]) {
      expect(res.status).toBe(415);
      expect(issueOf(res.body)).toMatchObject({ code: 'not-supported', expression: ['http.Content-Type'], diagnostics: expect.stringContaining(`"${charset}"`) });
    }
  });

  it.each(['\u0000', '\u0007', '\u001b'])('with a control character (%j) in a string is refused with 400 at its FHIRPath', async (control) => {
    const withControl = Buffer.from(prescription.replace(`"${NAME}"`, `"${NAME}${JSON.stringify(control).slice(1, -1)}"`), 'utf8');
    const res = await render('application/fhir+json', withControl).expect(400);
    expect(issueOf(res.body)).toMatchObject({ code: 'invalid', expression: [expect.stringMatching(/^Bundle\.entry\[\d+\]\.resource\.name\[0\]\.family$/)] });
  });

  it('keeps tab, line feed and carriage return in strings', async () => {
    const withWhitespace = Buffer.from(prescription.replace(`"${NAME}"`, `"${NAME}\\t\\n\\r"`), 'utf8');
    await render('application/fhir+json', withWhitespace).expect(200);
  });

  it('may start with a byte order mark, which is ignored (RFC 8259 §8.1)', async () => {
    const res = await render('application/fhir+json', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(prescription, 'utf8')])).expect(200);
    expect(JSON.stringify(res.body)).toContain(NAME);
  });
});

describe('controlCharacterAt', () => {
  it('names the first string or property name with a control character, by FHIRPath from the resource type', () => {
    expect(controlCharacterAt({ resourceType: 'Patient', name: [{ family: 'A', given: ['B', 'C\u0000'] }] })).toBe('Patient.name[0].given[1]');
    expect(controlCharacterAt({ resourceType: 'Parameters', ['x\u0001']: 1 })).toBe('Parameters');
    expect(controlCharacterAt(['\u001f'])).toBe('$[0]');
    expect(controlCharacterAt({ resourceType: 'Patient', text: { div: '<div>a\tb\r\n</div>' } })).toBeUndefined();
  });

  it('walks a body nested deeper than the call stack without running out of it', () => {
    let deep: unknown = '\u0000';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(controlCharacterAt(deep)).toMatch(/^\$(\[0\]){200000}$/);
  });
});
