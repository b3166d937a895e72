/**
 * Reads a national patient summary (an IPS/EPS document Bundle, as `$summary` and `_history` serve it)
 * into what the page shows: the patient, the six sections with their entries in the document's order
 * (relevance marks first, as the service orders them), each entry's source records with their fetch
 * times (from the entry's Provenance), and what changed between two versions. Pure: no DOM.
 */
import { parseXmlWithLines, textContent } from './source-lines.js';

/**
 * @typedef {{ sources: { name: string, display: string }[], extensions: { fetchedAt: string,
 *   clinicalRelevance: string, sourceStatus: string, note: string } }} SummaryCodes  from `GET /demo/api/config`
 */

const byUrl = (bundle) => new Map((bundle.entry ?? []).map((e) => [e.fullUrl, e.resource]));

const codingText = (concept) => concept?.text ?? concept?.coding?.[0]?.display ?? concept?.coding?.[0]?.code;

/** What an entry is called, from the resource itself (the narrative's first cell when it has no code). */
function entryLabel(resource, lookup) {
  switch (resource.resourceType) {
    case 'MedicationStatement':
      return codingText(resource.medicationCodeableConcept) ?? codingText(lookup(resource.medicationReference?.reference)?.code);
    case 'DeviceUseStatement':
      return codingText(lookup(resource.device?.reference)?.type);
    default:
      return codingText(resource.code);
  }
}

/** The narrative's table (header and one row per entry) or its paragraphs, as text. */
function narrative(section) {
  const root = parseXmlWithLines(section.text?.div ?? '').root;
  const all = (element, name, out = []) => {
    for (const child of element?.children ?? []) {
      if (child.name === name) out.push(child);
      else all(child, name, out);
    }
    return out;
  };
  return {
    columns: all(root, 'th').map((th) => textContent(th).trim()),
    rows: all(root, 'tr').filter((tr) => tr.children.some((c) => c.name === 'td')).map((tr) => all(tr, 'td').map((td) => textContent(td).trim())),
    paragraphs: all(root, 'p').map((p) => textContent(p).trim()),
  };
}

/** The source records a Provenance names, each with its source (matched by the record's display name). */
function records(provenance, codes) {
  return (provenance?.entity ?? []).map((e) => {
    const display = e.what?.display ?? '';
    const source = codes.sources.find((s) => display.startsWith(`${s.display}:`))?.name ?? 'unknown';
    const fetchedAt = e.extension?.find((x) => x.url === codes.extensions.fetchedAt)?.valueInstant;
    return { source, id: e.what?.identifier?.value ?? '', ...(fetchedAt ? { fetchedAt } : {}) };
  });
}

function mark(resource, codes) {
  const ext = resource.extension?.find((e) => e.url === codes.extensions.clinicalRelevance);
  if (!ext) return undefined;
  const by = ext.extension?.find((e) => e.url === 'markedBy')?.valueReference;
  const at = ext.extension?.find((e) => e.url === 'markedAt')?.valueDateTime;
  return { by: by?.display ?? by?.identifier?.value ?? '', at: at ?? '' };
}

function sourceStates(section, codes) {
  return (section.extension ?? [])
    .filter((e) => e.url === codes.extensions.sourceStatus)
    .map((e) => {
      const part = (url) => e.extension?.find((x) => x.url === url);
      return { source: part('source')?.valueCode ?? '', status: part('status')?.valueCode ?? '', dataTime: part('dataTime')?.valueInstant };
    });
}

/**
 * The summary as the page shows it.
 * @param {object} bundle the document Bundle
 * @param {SummaryCodes} codes
 */
export function readSummary(bundle, codes) {
  const resources = byUrl(bundle);
  const lookup = (reference) => (reference ? resources.get(reference) : undefined);
  const composition = bundle.entry?.[0]?.resource;
  const patient = lookup(composition?.subject?.reference);
  const provenanceOf = new Map();
  for (const e of bundle.entry ?? []) {
    if (e.resource?.resourceType === 'Provenance') provenanceOf.set(e.resource.target?.[0]?.reference, e.resource);
  }
  const sections = (composition?.section ?? []).map((section) => {
    const text = narrative(section);
    const entries = (section.entry ?? []).map((ref, index) => {
      const resource = lookup(ref.reference) ?? { resourceType: 'Unknown' };
      const cells = text.rows[index] ?? [];
      return {
        fullUrl: ref.reference,
        reference: `${resource.resourceType}/${resource.id}`,
        label: entryLabel(resource, lookup) ?? cells[0] ?? resource.resourceType,
        cells,
        mark: mark(resource, codes),
        records: records(provenanceOf.get(ref.reference), codes),
        resource,
      };
    });
    return {
      code: section.code?.coding?.[0]?.code ?? '',
      title: section.title ?? '',
      emptyReason: section.emptyReason?.coding?.[0]?.code,
      states: sourceStates(section, codes),
      notes: (section.extension ?? []).filter((e) => e.url === codes.extensions.note).map((e) => e.valueAnnotation?.text ?? ''),
      columns: text.columns,
      paragraphs: text.paragraphs,
      entries,
    };
  });
  const name = patient?.name?.[0];
  return {
    id: bundle.id,
    versionId: bundle.meta?.versionId,
    lastUpdated: bundle.meta?.lastUpdated,
    patient: {
      name: name?.text ?? [...(name?.given ?? []), name?.family ?? ''].join(' ').trim(),
      birthDate: patient?.birthDate,
      identifier: patient?.identifier?.[0]?.value,
    },
    sections,
  };
}

/** A resource without what a rebuild changes by itself: only the clinical content is compared. */
const content = (resource) => JSON.stringify({ ...resource, meta: undefined });

/**
 * What changed from one version to another, per section: entries added, removed or changed (a relevance
 * mark set or removed counts as changed and says so), and sources whose state changed.
 * @param {ReturnType<typeof readSummary>} older
 * @param {ReturnType<typeof readSummary>} newer
 */
export function diffSummaries(older, newer) {
  return newer.sections.map((section) => {
    const before = older.sections.find((s) => s.code === section.code) ?? { entries: [], states: [] };
    const then = new Map(before.entries.map((e) => [e.reference, e]));
    const now = new Map(section.entries.map((e) => [e.reference, e]));
    const changed = [];
    for (const [reference, e] of now) {
      const earlier = then.get(reference);
      if (!earlier || content(earlier.resource) === content(e.resource)) continue;
      const how = Boolean(earlier.mark) === Boolean(e.mark) ? 'changed' : e.mark ? 'marked' : 'unmarked';
      changed.push({ label: e.label, how });
    }
    const stateOf = (states, source) => states.find((s) => s.source === source)?.status;
    return {
      code: section.code,
      title: section.title,
      added: section.entries.filter((e) => !then.has(e.reference)).map((e) => e.label),
      removed: before.entries.filter((e) => !now.has(e.reference)).map((e) => e.label),
      changed,
      states: section.states
        .filter((s) => stateOf(before.states, s.source) !== s.status)
        .map((s) => ({ source: s.source, from: stateOf(before.states, s.source), to: s.status })),
    };
  });
}
