import type { Bundle } from '@medplum/fhirtypes';
import { fixture } from '../test-support/eresept-fixtures.js';
import { sameEuDispensing, sameUtlevering } from './resent-dispensing.js';

describe('sameUtlevering', () => {
  const m10 = fixture('m10-eu-resept-amoxicillin.xml');

  it('is true for the same Utlevering, whether or not the prescription was fully dispensed since, and another GenDate', () => {
    const laterState = m10.replace('<ul:Avsluttet V="1" DN="Ja"/>', '<ul:Avsluttet V="2" DN="Nei"/>').replace(/<GenDate>[^<]*<\/GenDate>/, '<GenDate>2024-06-12T09:00:00+02:00</GenDate>');
    expect(laterState).not.toBe(m10);
    expect(sameUtlevering(m10, laterState)).toBe(true);
  });

  it('is false for another quantity or date, and for a stored M10 that cannot be read', () => {
    expect(sameUtlevering(m10, m10.replace('<m1:Antall>1</m1:Antall>', '<m1:Antall>2</m1:Antall>'))).toBe(false);
    expect(sameUtlevering(m10, m10.replace('<ul:Utleveringsdato>2024-06-11<', '<ul:Utleveringsdato>2024-06-12<'))).toBe(false);
    expect(sameUtlevering('<not-an-m10/>', m10)).toBe(false);
  });
});

describe('sameEuDispensing', () => {
  const bundle = (quantity: number, extra: Record<string, unknown> = {}): Bundle => ({
    resourceType: 'Bundle',
    type: 'collection',
    timestamp: `2024-06-1${quantity}T10:00:00Z`,
    entry: [
      { fullUrl: 'urn:uuid:1', resource: { resourceType: 'MedicationDispense', status: 'completed', quantity: { value: quantity }, ...extra } },
      { fullUrl: 'urn:uuid:2', resource: { resourceType: 'Patient', id: `p${quantity}` } },
    ],
  });

  it('compares the MedicationDispense and Medication only, whatever the order of their keys', () => {
    const stored = bundle(1, { whenHandedOver: '2024-06-11' });
    const reordered = JSON.parse(JSON.stringify(stored)) as Bundle;
    reordered.entry![0]!.resource = { whenHandedOver: '2024-06-11', quantity: { value: 1 }, status: 'completed', resourceType: 'MedicationDispense' } as never;
    reordered.timestamp = '2030-01-01T00:00:00Z';
    reordered.entry![1]!.resource = { resourceType: 'Patient', id: 'other' };
    expect(sameEuDispensing(stored, reordered)).toBe(true);
    expect(sameEuDispensing(stored, bundle(2, { whenHandedOver: '2024-06-11' }))).toBe(false);
  });
});
