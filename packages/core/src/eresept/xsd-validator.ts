/**
 * Validation of whole e-resept messages (MsgHead with its M1 or M10 document) against the official KITH
 * XSDs, with libxml2 compiled to WebAssembly. The XSDs are not part of the project: point this at a folder
 * laid out like the official distribution (`eresept/ER-M1-2013-10-08.xsd`, `eresept/ER-M10-2013-10-08.xsd`,
 * `felleskomponenter/MsgHead-v1_2.xsd`, …), e.g. with `ERESEPT_XSD_DIR`.
 *
 * Schemas are served to libxml2 from memory: only files inside that folder can be read, nothing from the
 * network. MsgHead imports the XML-DSig schema by URL and a `kith-base64.xsd` that is not distributed with
 * it; both are replaced by minimal stand-ins that accept any `ds:Signature` and `Base64Container` content,
 * so a message's signature is not schema-checked here.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { EreseptIssue } from './issues.js';
import { NS } from './namespaces.js';

/** Where MsgHead-v1_2.xsd imports the XML-DSig schema from. */
const XMLDSIG_SCHEMA_URL = 'http://www.w3.org/TR/xmldsig-core/xmldsig-core-schema.xsd';
const BASE64_CONTAINER_NS = 'http://www.kith.no/xmlstds/base64container';

const XMLDSIG_STAND_IN = `<?xml version="1.0" encoding="UTF-8"?>
<schema xmlns="http://www.w3.org/2001/XMLSchema" targetNamespace="${NS.xmldsig}" elementFormDefault="qualified">
  <element name="Signature"><complexType><sequence>
    <any namespace="##any" processContents="skip" minOccurs="0" maxOccurs="unbounded"/>
  </sequence><anyAttribute processContents="skip"/></complexType></element>
</schema>`;

const BASE64_STAND_IN = `<?xml version="1.0" encoding="UTF-8"?>
<schema xmlns="http://www.w3.org/2001/XMLSchema" targetNamespace="${BASE64_CONTAINER_NS}" elementFormDefault="qualified">
  <element name="Base64Container"><complexType><simpleContent><extension base="base64Binary">
    <anyAttribute processContents="skip"/>
  </extension></simpleContent></complexType></element>
</schema>`;

/** The schema files, relative to the XSD folder, that one validator imports. */
export const ERESEPT_SCHEMA_FILES = {
  msgHead: 'felleskomponenter/MsgHead-v1_2.xsd',
  m1: 'eresept/ER-M1-2013-10-08.xsd',
  m10: 'eresept/ER-M10-2013-10-08.xsd',
} as const;

type Libxml2 = typeof import('libxml2-wasm');

/** Normalises what libxml2 asks for (file URL or path, with `..` segments) to one key. */
function schemaKey(name: string): string {
  const path = name.startsWith('file://') ? decodeURIComponent(new URL(name).pathname) : name;
  return path.startsWith('/') ? posix.normalize(path) : path;
}

function listXsdFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...listXsdFiles(full));
    else if (entry.endsWith('.xsd')) out.push(full);
  }
  return out;
}

let registered: Map<string, Uint8Array> | undefined;

/** One input provider for the process: libxml2's registry is global. */
function schemaStore(lib: Libxml2): Map<string, Uint8Array> {
  if (registered) return registered;
  const store = new Map<string, Uint8Array>();
  lib.xmlRegisterInputProvider({
    match: (name) => store.has(schemaKey(name)),
    open: (name) => {
      const buf = store.get(schemaKey(name));
      return buf ? lib.openBuffer(buf) : undefined;
    },
    read: (fd, buf) => lib.readBuffer(fd, buf),
    close: (fd) => {
      lib.closeBuffer(fd);
      return true;
    },
  });
  registered = store;
  return store;
}

/**
 * Validates e-resept messages against the official XSDs. Compile once with {@link EreseptXsdValidator.load},
 * then call {@link EreseptXsdValidator.validate} per message.
 *
 * @example
 * const xsd = await EreseptXsdValidator.load(process.env.ERESEPT_XSD_DIR!);
 * const problems = xsd.validate(m1Xml); // [] when valid
 */
export class EreseptXsdValidator {
  private constructor(
    private readonly lib: Libxml2,
    private readonly validator: InstanceType<Libxml2['XsdValidator']>,
  ) {}

  /**
   * Reads every `.xsd` under `dir` and compiles MsgHead + M1 + M10 into one schema set.
   * @throws Error naming the missing file when the folder lacks one of {@link ERESEPT_SCHEMA_FILES}
   */
  static async load(dir: string): Promise<EreseptXsdValidator> {
    const lib = await import('libxml2-wasm');
    for (const file of Object.values(ERESEPT_SCHEMA_FILES)) {
      try {
        statSync(join(dir, file));
      } catch {
        throw new Error(`ERESEPT_XSD_DIR ${dir} has no ${file}`);
      }
    }
    const store = schemaStore(lib);
    const root = schemaKey(pathToFileURL(dir).href);
    for (const file of listXsdFiles(dir)) {
      store.set(posix.join(root, relative(dir, file).split(sep).join('/')), readFileSync(file));
    }
    store.set(XMLDSIG_SCHEMA_URL, Buffer.from(XMLDSIG_STAND_IN));
    const base64Key = posix.join(root, 'felleskomponenter/kith-base64.xsd');
    if (!store.has(base64Key)) store.set(base64Key, Buffer.from(BASE64_STAND_IN));

    const url = (file: string) => pathToFileURL(join(dir, file)).href;
    const driver = `<?xml version="1.0" encoding="UTF-8"?>
<schema xmlns="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:ehds-no:eresept-schema-set">
  <import namespace="${NS.msgHead}" schemaLocation="${url(ERESEPT_SCHEMA_FILES.msgHead)}"/>
  <import namespace="${NS.m1}" schemaLocation="${url(ERESEPT_SCHEMA_FILES.m1)}"/>
  <import namespace="${NS.m10}" schemaLocation="${url(ERESEPT_SCHEMA_FILES.m10)}"/>
</schema>`;
    const doc = lib.XmlDocument.fromString(driver, { url: pathToFileURL(join(dir, 'ehds-no-schema-set.xsd')).href });
    try {
      return new EreseptXsdValidator(lib, lib.XsdValidator.fromDoc(doc));
    } finally {
      doc.dispose();
    }
  }

  /**
   * Validates one message. Returns no issues when it is schema-valid; otherwise one issue per libxml2
   * diagnostic, located by line (libxml2 reports lines, not paths) at XPath `/`.
   */
  validate(xml: string | Uint8Array): EreseptIssue[] {
    const text = typeof xml === 'string' ? xml : Buffer.from(xml).toString('latin1');
    if (text.includes('<!DOCTYPE') || text.includes('<!ENTITY')) {
      return [{ severity: 'error', code: 'security', xpath: '/', message: 'DOCTYPE and entity declarations are not allowed in e-resept messages' }];
    }
    let doc: InstanceType<Libxml2['XmlDocument']> | undefined;
    try {
      // A string is already decoded: libxml2 must not decode it again by the encoding its declaration names.
      doc = typeof xml === 'string' ? this.lib.XmlDocument.fromString(xml, { encoding: 'utf-8' }) : this.lib.XmlDocument.fromBuffer(xml);
      this.validator.validate(doc);
      return [];
    } catch (e) {
      if (e instanceof this.lib.XmlLibError) {
        return e.details.map((d) => ({
          severity: 'error',
          code: e instanceof this.lib.XmlParseError ? 'malformed' : 'structure',
          xpath: '/',
          message: `line ${d.line ?? '?'}: ${d.message.trim()}`,
        }));
      }
      throw e;
    } finally {
      doc?.dispose();
    }
  }

  /** Frees the compiled schema (libxml2 memory is not garbage-collected). */
  dispose(): void {
    this.validator.dispose();
  }
}
