/**
 * Reseptformidleren over HTTP: `GET Binary` with the `nhn-patient-nin` header lists the patient's active
 * prescriptions, one M1 per `Binary` (id = ReseptId, base64 data). Each must decode to an M1 message;
 * anything else fails the fetch (it would otherwise silently drop a prescription from the summary).
 */
import { MSG_TYPE_M1, NS, parseXml, type ActivePrescription, type PatientKey, type ReseptformidlerenData, type SourcePort } from '@ehds-no/core';
import { FHIR_JSON } from '@ehds-no/national-sources-sim';
import type { Binary } from '@medplum/fhirtypes';
import { SourceHttp, malformed, searchAll } from './source-http.js';

type XmlRoot = Extract<ReturnType<typeof parseXml>, { ok: true }>['root'];

/** Strict base64: the alphabet, padded to a multiple of four (Buffer.from would skip bad characters). */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const utf8 = new TextDecoder('utf-8', { fatal: true });

function child(element: XmlRoot, local: string): XmlRoot | undefined {
  return element.children.find((c): c is XmlRoot => c.kind === 'element' && c.ns === NS.msgHead && c.local === local);
}

/** True when `xml` is a well-formed MsgHead whose `MsgInfo/Type/@V` is ERM1 (the full M1 rules run when it is used). */
function isM1(xml: string): boolean {
  const parsed = parseXml(xml);
  if (!parsed.ok || parsed.root.ns !== NS.msgHead || parsed.root.local !== 'MsgHead') return false;
  const type = child(parsed.root, 'MsgInfo') && child(child(parsed.root, 'MsgInfo')!, 'Type');
  return type?.attributes.some((a) => a.ns === '' && a.local === 'V' && a.value === MSG_TYPE_M1) ?? false;
}

/**
 * One active prescription from its Binary.
 * @throws {SourceFailure} when the Binary has no id, is not XML, or is not base64 of an M1
 */
export function prescriptionOf(binary: Binary): ActivePrescription {
  if (!binary.id) throw malformed('a Binary without id');
  if (!/^application\/xml\b/.test(binary.contentType ?? '')) throw malformed('a Binary that is not XML');
  if (!binary.data || !BASE64.test(binary.data)) throw malformed('a Binary without valid base64 data');
  let m1Xml: string;
  try {
    m1Xml = utf8.decode(Buffer.from(binary.data, 'base64'));
  } catch {
    throw malformed('a Binary that is not UTF-8');
  }
  if (!isM1(m1Xml)) throw malformed('a Binary that is not an M1');
  return { reseptId: binary.id, m1Xml };
}

/**
 * The Reseptformidleren port.
 * @param baseUrl the FHIR base, e.g. `http://127.0.0.1:4000/reseptformidleren`
 * @param maxBodyBytes the byte limit of one fetch (the search and its pages together)
 */
export function reseptformidlerenSource(baseUrl: string, maxBodyBytes: number): SourcePort<'reseptformidleren'> {
  const http = new SourceHttp(baseUrl, FHIR_JSON, maxBodyBytes);
  return {
    name: 'reseptformidleren',
    async fetch(patient: PatientKey, signal: AbortSignal): Promise<ReseptformidlerenData> {
      // "No active prescriptions" is only an empty searchset; any other answer fails in searchAll.
      const binaries = await searchAll<Binary>(http, 'Binary', ['Binary'], patient, signal, http.budget());
      return { prescriptions: binaries.map(prescriptionOf) };
    },
  };
}
