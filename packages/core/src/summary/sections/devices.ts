/**
 * Medical devices and implants (LOINC 46264-8), from Kjernejournal's mechanical implants
 * (KjDeviceUseStatement with a contained KjDevice, e.g. a pacemaker). The contained Device becomes an
 * entry of its own so the document's references resolve inside the Bundle. Transplants are Conditions in
 * Kjernejournal and go to the problems section (IPS allows only DeviceUseStatement entries here).
 */
import type { Device, DeviceUseStatement, Resource } from '@medplum/fhirtypes';
import { SYSTEM } from '../../terminology/fhir-systems.js';
import { markAbsent } from '../summary-codes.js';
import { snapshotOf, type Localized, type SectionDefinition, type SectionEntry } from '../summary-model.js';
import { conceptText, dateText, label } from './cell-text.js';
import { recordOf, withoutSourceIdentity } from './source-copy.js';

/**
 * Inclusion rule: a device use that is not `completed` (in Kjernejournal: avkreftet, e.g. explanted),
 * `entered-in-error` or `stopped`.
 */
export function includeDeviceUse(d: DeviceUseStatement): boolean {
  return d.status !== 'completed' && d.status !== 'entered-in-error' && d.status !== 'stopped';
}

const STATUS: Readonly<Record<string, Localized>> = {
  active: { nb: 'Aktiv', en: 'Active' },
  intended: { nb: 'Planlagt', en: 'Intended' },
  'on-hold': { nb: 'Pause', en: 'On hold' },
};

function containedDevice(d: DeviceUseStatement): Device | undefined {
  const ref = d.device?.reference;
  const found = ref?.startsWith('#') ? d.contained?.find((c) => c.id === ref.slice(1)) : undefined;
  return found?.resourceType === 'Device' ? found : undefined;
}

/** The devices and implants section. */
export const devicesSection: SectionDefinition = {
  code: { system: SYSTEM.loinc, code: '46264-8', display: 'History of medical device use' },
  title: { nb: 'Implantater og annet medisinsk utstyr', en: 'Medical devices and implants' },
  columns: { nb: ['Utstyr', 'Fra', 'Status'], en: ['Device', 'Since', 'Status'] },
  build(ctx) {
    const snapshot = snapshotOf(ctx.outcomes.kjernejournal);
    const entries: SectionEntry[] = [];
    for (const r of snapshot?.data.resources ?? []) {
      if (r.resourceType !== 'DeviceUseStatement' || !includeDeviceUse(r)) continue;
      const key = `device-use|kjernejournal|${r.id ?? ''}`;
      const deviceKey = `${key}|device`;
      const source = containedDevice(r);
      const device: Device = source
        ? { ...withoutSourceIdentity(source), patient: { reference: ctx.patientRef } }
        : { resourceType: 'Device', patient: { reference: ctx.patientRef }, ...(r.device?.display ? { deviceName: [{ name: r.device.display, type: 'user-friendly-name' }] } : {}) };
      const use: DeviceUseStatement = { ...withoutSourceIdentity(r), subject: { reference: ctx.patientRef }, device: { reference: ctx.refFor(deviceKey) } };
      delete use.contained;
      // DeviceUseStatement-eu-eps requires timing[x]: say "unknown" rather than invent a date.
      if (!use.timingDateTime && !use.timingPeriod && !use.timingTiming) markAbsent(use, 'timingDateTime');
      entries.push({ key, resource: use, related: [{ key: deviceKey, resource: device }], records: [recordOf(snapshot!, r)] });
    }
    return { entries, sources: ['kjernejournal'] };
  },
  sortDate(resource) {
    const use = resource as DeviceUseStatement;
    return use.timingDateTime ?? use.timingPeriod?.start ?? use.recordedOn;
  },
  row(resource: Resource, lookup, language) {
    const use = resource as DeviceUseStatement;
    const device = lookup(use.device?.reference) as Device | undefined;
    const name = device ? (conceptText(device.type) || device.deviceName?.[0]?.name || '') : '';
    return [name, dateText(use.timingDateTime ?? use.timingPeriod?.start), label(STATUS, use.status, language)];
  },
};
