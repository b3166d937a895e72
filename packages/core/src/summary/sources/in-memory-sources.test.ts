import { IDENTIFIER_SYSTEM } from '../../terminology/oids.js';
import { EMPTY_SOURCE_DATA, PatientSourceStore, inMemorySourcePorts, sourcePortsOver } from './in-memory-sources.js';
import { PatientNotKnown, type PatientSourceData } from './source-data.js';

const known: PatientSourceData = {
  slug: 'one-allergy',
  key: { system: IDENTIFIER_SYSTEM.fnr, value: '13828099999' },
  data: {
    kjernejournal: { patient: { resourceType: 'Patient', id: 'p1' }, resources: [{ resourceType: 'Flag', status: 'active', code: { text: 'x' }, subject: {} }] },
    pll: {},
    reseptformidleren: { prescriptions: [{ reseptId: 'r-1', m1Xml: '<MsgHead/>' }] },
    npr: { records: [] },
    kpr: { records: [] },
  },
};
const unknown = { system: IDENTIFIER_SYSTEM.fnr, value: '13828088888' };
const signal = () => new AbortController().signal;

describe('inMemorySourcePorts', () => {
  it('answers each source from memory', async () => {
    const ports = inMemorySourcePorts([known]);
    expect(await ports.kjernejournal.fetch(known.key, signal())).toBe(known.data.kjernejournal);
    expect(await ports.reseptformidleren.fetch(known.key, signal())).toBe(known.data.reseptformidleren);
    expect(await ports.pll.fetch(known.key, signal())).toEqual({});
  });

  it('Kjernejournal does not know an unknown person; the others answer with empty data', async () => {
    const ports = inMemorySourcePorts([known]);
    await expect(ports.kjernejournal.fetch(unknown, signal())).rejects.toBeInstanceOf(PatientNotKnown);
    expect(await ports.pll.fetch(unknown, signal())).toEqual(EMPTY_SOURCE_DATA.pll);
    expect(await ports.reseptformidleren.fetch(unknown, signal())).toEqual({ prescriptions: [] });
    expect(await ports.npr.fetch(unknown, signal())).toEqual({ records: [] });
    expect(await ports.kpr.fetch(unknown, signal())).toEqual({ records: [] });
  });

  it('honours an aborted signal', async () => {
    const controller = new AbortController();
    controller.abort(new Error('gave up'));
    await expect(inMemorySourcePorts([known]).npr.fetch(known.key, controller.signal)).rejects.toThrow('gave up');
  });

  it('shows replaced data in later fetches, found by slug, key or person number', async () => {
    const store = new PatientSourceStore([known]);
    const ports = sourcePortsOver(store);
    const records = { records: [{ register: 'KPR' as const, patient: known.key, episodeId: 'k1', institution: {}, start: '2024-02-02', diagnoses: [], procedures: [] }] };
    expect(store.replace('one-allergy', 'kpr', records)?.data.kpr).toBe(records);
    expect(await ports.kpr.fetch(known.key, signal())).toBe(records);
    expect(store.patientByNin(known.key.value)?.data.kpr).toBe(records);
    expect(store.patientBySlug('one-allergy')?.data.kjernejournal).toBe(known.data.kjernejournal);
    expect(store.replace('nobody', 'kpr', records)).toBeUndefined();
    expect(store.patients()).toHaveLength(1);
  });
});
