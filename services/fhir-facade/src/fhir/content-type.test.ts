/**
 * The XML body's character encoding (RFC 7303): a `charset` parameter decides; without one, the XML
 * declaration (or UTF-8, BOM respected) does. Bytes invalid in that encoding get a 4xx OperationOutcome.
 */
import type { OperationOutcome, Parameters } from '@medplum/fhirtypes';
import request from 'supertest';
import { DEFAULT_FOREIGN_PHARMACY } from '@ehds-no/core';
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
