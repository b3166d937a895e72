/**
 * The demonstration page's pure ES modules (services/fhir-facade/demo/js), run in Node against the
 * library: the payloads the page builds are accepted by the real converters, the issue locations the
 * service writes are followed to the right line, and the summary is read as the library wrote it.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  convertDispenseToEu, convertEuDispenseToM10, convertM1ToEuPrescription, ereseptIssuesToOutcome, fetchAllSources, InMemorySnapshotCache,
  InMemorySummaryStore, inMemorySourcePorts, loadPatientFolders, PatientSummaryService, provenanceRecords, readM1, readM10, renderSummary, resilientSources,
} from '@ehds-no/core';
import type { Bundle, OperationOutcome, OperationOutcomeIssue, Provenance } from '@medplum/fhirtypes';
import { demoSummaryCodes, type DemoSummaryCodes } from './summary-codes.js';

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
const DEMO_JS = `${REPO}services/fhir-facade/demo/js/`;
const text = (path: string) => readFileSync(`${REPO}${path}`, 'utf8');
const NOW = new Date('2026-11-20T10:00:00Z');

interface Located { line: number; value?: unknown; exact: boolean }
interface SourceLines {
  parseJsonWithLines(text: string): { root?: object; error?: { message: string; line: number } };
  parseXmlWithLines(text: string): { root?: object };
  locateFhirPath(root: object, expression: string): Located;
  locateXPath(root: object, xpath: string): Located;
  issueLines(text: string, outcome: OperationOutcome): (Located | undefined)[];
}
interface SummaryEntry { reference: string; label: string; cells: string[]; mark?: { by: string; at: string }; records: { source: string; id: string; fetchedAt?: string }[]; fullUrl: string }
interface SummarySection { code: string; title: string; emptyReason?: string; columns: string[]; paragraphs: string[]; entries: SummaryEntry[]; states: { source: string; status: string }[] }
interface ReadSummary { id: string; versionId: string; patient: { name: string }; sections: SummarySection[] }
interface SummaryModel {
  readSummary(bundle: Bundle, codes: DemoSummaryCodes): ReadSummary;
  diffSummaries(older: ReadSummary, newer: ReadSummary): { code: string; added: string[]; removed: string[]; changed: { label: string; how: string }[] }[];
}
interface EDispensation {
  FOREIGN_PHARMACIES: Record<string, unknown>;
  buildEuDispensation(prescription: Bundle, d: { country: string; packages: number; handedOver: string; dispenseId: string; uuid?: () => string }): Bundle;
}
interface M10Builder {
  escapeXml(value: string): string;
  buildM10ForEuPrescription(d: object): string;
}

// The modules are plain JavaScript for the browser: imported by path, typed by the interfaces above.
const load = <T>(file: string): Promise<T> => import(`${DEMO_JS}${file}`) as Promise<T>;
let lines: SourceLines;
let model: SummaryModel;
let eDispensation: EDispensation;
let m10: M10Builder;
beforeAll(async () => {
  [lines, model, eDispensation, m10] = await Promise.all([load<SourceLines>('source-lines.js'), load<SummaryModel>('summary-model.js'), load<EDispensation>('edispensation.js'), load<M10Builder>('m10.js')]);
});

/** The 1-based line of the first line of `source` that contains `needle`. */
const lineOf = (source: string, needle: string) => source.split('\n').findIndex((l) => l.includes(needle)) + 1;

function releasedDemoM1() {
  const read = readM1(text('test-data/eresept/m1-demo-gyldig.xml'), { allowSyntheticIdentities: true });
  if (!read.ok) throw new Error('m1-demo-gyldig must read');
  const converted = convertM1ToEuPrescription(read.message, { now: NOW });
  if (!converted.release) throw new Error('m1-demo-gyldig must be releasable on the demo date');
  return converted;
}

describe('source-lines: FHIRPath and XPath to a line of the pasted text', () => {
  const ep = text('test-data/eu/ep-se-demo-gyldig.json');
  const m1 = text('test-data/eresept/m1-demo-gyldig.xml');

  it('follows element steps, indexes, choice types, where() and extension()', () => {
    const root = lines.parseJsonWithLines(ep).root!;
    expect(lines.locateFhirPath(root, 'Bundle.entry[0].resource.dispenseRequest.validityPeriod.end')).toEqual({ line: lineOf(ep, '"end": "2027-11-02"'), exact: true, value: '2027-11-02' });
    expect(lines.locateFhirPath(root, 'Bundle.entry[0].resource.substitution.allowed')).toMatchObject({ line: lineOf(ep, '"allowedBoolean"'), value: true });
    expect(lines.locateFhirPath(root, "Bundle.entry.where(resource.resourceType = 'Patient').resource.birthDate")).toMatchObject({ line: lineOf(ep, '"birthDate"'), exact: true });
    const prescribed = 'https://profiles.ihe.net/PHARM/MPD/StructureDefinition/ihe-ext-medicationrequest-prescribedQuantity';
    expect(lines.locateFhirPath(root, `Bundle.entry[0].resource.dispenseRequest.extension('${prescribed}').value.value`)).toMatchObject({ exact: true, value: 1 });
  });

  it('gives the deepest element reached when a path goes further than the document', () => {
    const root = lines.parseJsonWithLines(ep).root!;
    expect(lines.locateFhirPath(root, 'Bundle.entry[0].resource.requester.missing.deeper')).toEqual({ line: lineOf(ep, '"requester"'), exact: false });
  });

  it('follows the XPath of e-resept issues by local name, with positions and attributes', () => {
    const root = lines.parseXmlWithLines(m1).root!;
    expect(lines.locateXPath(root, '/mh:MsgHead/mh:Document[1]/mh:RefDoc/mh:Content/m1:Resept/m1:Utloper')).toEqual({ line: lineOf(m1, 'Utloper'), exact: true, value: '2027-11-02' });
    expect(lines.locateXPath(root, '/mh:MsgHead/mh:MsgInfo/mh:Sender/mh:Organisation/mh:Ident[2]/mh:Id')).toMatchObject({ line: lineOf(m1, '<Id>8123401</Id>'), value: '8123401' });
    expect(lines.locateXPath(root, '//Atc/@V')).toMatchObject({ line: lineOf(m1, 'Atc V='), value: 'B01AF02' });
  });

  it('places every issue of a real e-resept validation on the line of its element', () => {
    const broken = m1.replace('<ns1:Forskrivningsdato>2026-11-02<', '<ns1:Forskrivningsdato>2026-13-45<');
    const read = readM1(broken, { allowSyntheticIdentities: true });
    expect(read.ok).toBe(false);
    const outcome = ereseptIssuesToOutcome(read.issues);
    const placed = lines.issueLines(broken, outcome);
    const i = outcome.issue.findIndex((x) => x.location?.[0]?.endsWith('Forskrivningsdato'));
    expect(i).toBeGreaterThanOrEqual(0);
    expect(placed[i]).toEqual({ line: lineOf(broken, 'Forskrivningsdato'), exact: true });
  });

  it('follows every location the conversion reports write, XPath and FHIRPath alike', () => {
    const { report, release } = releasedDemoM1();
    expect(lines.issueLines(m1, report).every((p) => p?.exact)).toBe(true);
    const ed = text('test-data/eu/ed-se-demo-gyldig.json');
    const back = convertEuDispenseToM10(JSON.parse(ed) as Bundle, { release: release!, previous: [], now: NOW });
    expect(back.ok).toBe(true);
    const expressions = back.report.issue.filter((x) => x.expression);
    expect(expressions.length).toBeGreaterThan(0);
    expect(lines.issueLines(ed, { resourceType: 'OperationOutcome', issue: expressions }).every((p) => p?.exact)).toBe(true);
  });

  it('points at the line a malformed text breaks on', () => {
    expect(lines.parseJsonWithLines('{\n  "a": 1,\n  "b": }\n').error).toMatchObject({ line: 3 });
    const syntaxError: OperationOutcomeIssue = { severity: 'fatal', code: 'structure', location: ['line 3, column 7'], diagnostics: 'not valid JSON at line 3, column 7' };
    expect(lines.issueLines('{\n  "a": 1,\n  "b": }\n', { resourceType: 'OperationOutcome', issue: [syntaxError] })).toEqual([{ line: 3, exact: true }]);
    expect(lines.issueLines('{\n  "a": 1,\n  "b": }\n', { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid', diagnostics: 'The request body is not valid JSON' }] })).toEqual([{ line: 3, exact: false }]);
  });
});

describe('summary-model: the summary document as the page shows it', () => {
  const patients = loadPatientFolders();
  const rich = patients.find((p) => p.slug === 'multimorbid-elderly-rich-history')!;
  const codes = demoSummaryCodes();

  async function service() {
    const sources = resilientSources(inMemorySourcePorts(patients));
    const cache = new InMemorySnapshotCache();
    return new PatientSummaryService({ store: new InMemorySummaryStore(), fetchSources: (key) => fetchAllSources(sources, cache, key), allowSyntheticIdentities: true });
  }

  it('reads the six sections, one narrative row per entry, and each entry\'s source records as the library names them', async () => {
    const served = await (await service()).summary(rich.key);
    const bundle = renderSummary(served.version.bundle, 'nb');
    const read = model.readSummary(bundle, codes);
    expect(read.sections.map((s) => s.code)).toEqual(['46264-8', '104605-1', '48765-2', '10160-0', '11450-4', '47519-4']);
    const provenances = (bundle.entry ?? []).map((e) => e.resource).filter((r): r is Provenance => r?.resourceType === 'Provenance');
    for (const section of read.sections) {
      for (const entry of section.entries) {
        expect(entry.cells).toHaveLength(section.columns.length);
        const provenance = provenances.find((p) => p.target?.[0]?.reference === entry.fullUrl)!;
        expect(entry.records).toEqual(provenanceRecords(provenance));
        expect(entry.records.every((r) => r.source !== 'unknown' && r.fetchedAt)).toBe(true);
      }
      if (section.entries.length === 0) expect(section.paragraphs.join(' ')).not.toBe('');
    }
  });

  it('shows a relevance mark, and the difference between two versions says the entry was marked', async () => {
    const summaries = await service();
    const before = await summaries.summary(rich.key);
    const first = model.readSummary(renderSummary(before.version.bundle, 'en'), codes);
    const allergy = first.sections.find((s) => s.code === '48765-2')!.entries.at(-1)!;
    const after = await summaries.mark(before.patient, allergy.reference, { hpr: '565104311', name: 'Hanne Legesen' });
    const second = model.readSummary(renderSummary(after.bundle, 'en'), codes);
    const allergies = second.sections.find((s) => s.code === '48765-2')!;
    expect(allergies.entries[0]).toMatchObject({ reference: allergy.reference, mark: { by: 'Hanne Legesen' } });
    const diff = model.diffSummaries(first, second).find((d) => d.code === '48765-2')!;
    expect(diff).toMatchObject({ added: [], removed: [], changed: [{ label: allergy.label, how: 'marked' }] });
  });
});

describe('the payloads the page builds are what the converters take', () => {
  it.each(['SE', 'DK', 'FI'])('an eDispensation from %s of the released demo M1 becomes an M10 that the reader accepts', (country) => {
    const { bundle, release } = releasedDemoM1();
    const ed = eDispensation.buildEuDispensation(bundle, { country, packages: 1, handedOver: '2026-11-20T12:00:00+01:00', dispenseId: `${country}-DEMO-1` });
    const result = convertEuDispenseToM10(ed, { release: release!, previous: [], now: NOW });
    expect(result.ok && readM10(result.xml, { allowSyntheticIdentities: true }).issues).toEqual([]);
  });

  it('a Norwegian pharmacy\'s M10 of the EU demo prescription reads without issues and becomes an EU eDispensation', () => {
    const prescription = JSON.parse(text('test-data/eu/ep-se-demo-gyldig.json')) as Bundle;
    const xml = m10.buildM10ForEuPrescription({
      prescriptionId: 'SE-RX-2026-1102-0001',
      patient: { family: 'Testberg', given: 'Maja', birthDate: '1987-03-14' },
      product: { varenr: '563210', name: 'Amoxicillin Testfarma Kaps 500 mg', atc: 'J01CA04', atcName: 'Amoksicillin', packSize: 21 },
      dosageText: '1 kapsel, 3 ganger per døgn, i 7 døgn',
      packages: 1,
      dispensedOn: '2026-11-20',
      genDate: '2026-11-20T11:00:00+01:00',
      msgId: '6a1f2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b',
    });
    const read = readM10(xml, { allowSyntheticIdentities: true });
    expect(read.issues).toEqual([]);
    if (!read.ok) return;
    const result = convertDispenseToEu(prescription, read.message, { previous: [], now: NOW });
    expect(result.ok).toBe(true);
  });

  it('escapes what would break the XML', () => {
    expect(m10.escapeXml(`Apotek "Nord" & <Sør>'`)).toBe('Apotek &quot;Nord&quot; &amp; &lt;Sør&gt;&apos;');
  });
});
