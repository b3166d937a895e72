import { SOURCE_CHANGE_NOTIFICATION } from '../../terminology/fhir-systems.js';
import { IDENTIFIER_SYSTEM } from '../../terminology/oids.js';
import { buildChangeNotification, readChangeNotification } from './change-notification.js';
import type { Bundle, Parameters } from '@medplum/fhirtypes';

const patient = { system: IDENTIFIER_SYSTEM.dnr, value: '53828099999' };
const notification = (): Bundle =>
  buildChangeNotification({
    source: 'reseptformidleren', patient, subscription: 'http://127.0.0.1:4000/_sim/subscriptions/1',
    eventNumber: 3, timestamp: '2025-03-01T10:00:00.000Z', id: '6c3b8a53-7d0a-4f59-9a55-0f6c1f0e2a11',
  });
const status = (b: Bundle) => b.entry![0]!.resource as Parameters;
const event = (b: Bundle) => status(b).parameter!.find((p) => p.name === 'notification-event')!;

describe('change notifications', () => {
  it('round-trips: the builder writes what the parser reads', () => {
    expect(readChangeNotification(notification())).toEqual({ ok: true, source: 'reseptformidleren', patient });
  });

  it('is an R4 backport notification: history Bundle, SubscriptionStatus Parameters first, focus by identifier', () => {
    const b = notification();
    expect(b).toMatchObject({ resourceType: 'Bundle', type: 'history', meta: { profile: [SOURCE_CHANGE_NOTIFICATION.bundleProfile] } });
    expect(b.entry![0]).toMatchObject({ request: { method: 'GET' }, response: { status: '200' } });
    const parameters = Object.fromEntries(status(b).parameter!.map((p) => [p.name, p]));
    expect(parameters.status?.valueCode).toBe('active');
    expect(parameters.type?.valueCode).toBe('event-notification');
    expect(parameters['events-since-subscription-start']?.valueString).toBe('3');
    expect(event(b).part).toEqual([
      { name: 'event-number', valueString: '3' },
      { name: 'timestamp', valueInstant: '2025-03-01T10:00:00.000Z' },
      { name: 'focus', valueReference: { type: 'Patient', identifier: patient } },
    ]);
    expect(event(b).extension).toEqual([{ url: SOURCE_CHANGE_NOTIFICATION.sourceExtension, valueCode: 'reseptformidleren' }]);
  });

  const broken: Array<[string, (b: Bundle) => unknown, string]> = [
    ['not a Bundle', () => ({ resourceType: 'Parameters' }), 'Bundle'],
    ['not JSON object', () => 'text', 'Bundle'],
    ['a searchset', (b) => ({ ...b, type: 'searchset' }), 'Bundle.type'],
    ['no status entry', (b) => ({ ...b, entry: [] }), 'Bundle.entry[0].resource'],
    ['a handshake', (b) => {
      status(b).parameter!.find((p) => p.name === 'type')!.valueCode = 'handshake';
      return b;
    }, "Bundle.entry[0].resource.parameter.where(name = 'type').value"],
    ['no event', (b) => {
      status(b).parameter = status(b).parameter!.filter((p) => p.name !== 'notification-event');
      return b;
    }, "Bundle.entry[0].resource.parameter.where(name = 'notification-event')"],
    ['no source extension', (b) => {
      delete event(b).extension;
      return b;
    }, `Bundle.entry[0].resource.parameter.where(name = 'notification-event').extension('${SOURCE_CHANGE_NOTIFICATION.sourceExtension}')`],
    ['an unknown source', (b) => {
      event(b).extension![0]!.valueCode = 'helsenorge';
      return b;
    }, `Bundle.entry[0].resource.parameter.where(name = 'notification-event').extension('${SOURCE_CHANGE_NOTIFICATION.sourceExtension}').value`],
    ['a focus by reference only', (b) => {
      event(b).part![2]!.valueReference = { reference: 'Patient/1' };
      return b;
    }, "Bundle.entry[0].resource.parameter.where(name = 'notification-event').part.where(name = 'focus').value.identifier"],
    ['a focus that is not a person number', (b) => {
      event(b).part![2]!.valueReference = { identifier: { system: IDENTIFIER_SYSTEM.hpr, value: '1234567' } };
      return b;
    }, "Bundle.entry[0].resource.parameter.where(name = 'notification-event').part.where(name = 'focus').value.identifier.system"],
    ['an extension that is not an array', (b) => {
      (event(b) as { extension: unknown }).extension = 'x';
      return b;
    }, `Bundle.entry[0].resource.parameter.where(name = 'notification-event').extension('${SOURCE_CHANGE_NOTIFICATION.sourceExtension}')`],
    ['an extension object instead of an array', (b) => {
      (event(b) as { extension: unknown }).extension = { url: SOURCE_CHANGE_NOTIFICATION.sourceExtension, valueCode: 'pll' };
      return b;
    }, `Bundle.entry[0].resource.parameter.where(name = 'notification-event').extension('${SOURCE_CHANGE_NOTIFICATION.sourceExtension}')`],
    ['a focus without value', (b) => {
      event(b).part![2]!.valueReference = { identifier: { system: IDENTIFIER_SYSTEM.fnr } };
      return b;
    }, "Bundle.entry[0].resource.parameter.where(name = 'notification-event').part.where(name = 'focus').value.identifier.value"],
  ];

  it.each(broken)('refuses %s, saying where with FHIRPath', (_what, breakIt, expression) => {
    const r = readChangeNotification(breakIt(notification()));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.map((i) => i.expression)).toContain(expression);
  });

  it('never repeats the identifier in an issue', () => {
    const b = notification();
    event(b).extension![0]!.valueCode = 'x';
    const r = readChangeNotification(b);
    expect(JSON.stringify(r)).not.toContain(patient.value);
  });

  it('checks the focus by the receiver\'s identifier rule, reporting its text at the value', () => {
    const seen: string[] = [];
    const refused = readChangeNotification(notification(), { identifierProblem: (key) => (seen.push(key.value), 'not a valid D-nummer') });
    expect(seen).toEqual([patient.value]);
    expect(refused).toEqual({ ok: false, issues: [{ expression: "Bundle.entry[0].resource.parameter.where(name = 'notification-event').part.where(name = 'focus').value.identifier.value", message: 'not a valid D-nummer' }] });
    expect(readChangeNotification(notification(), { identifierProblem: () => undefined })).toEqual({ ok: true, source: 'reseptformidleren', patient });
  });
});
