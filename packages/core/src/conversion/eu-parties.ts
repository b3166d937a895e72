/**
 * The people and organisations of an M1 in FHIR: the patient (MsgHead Patient), and the prescriber
 * (Sender HealthcareProfessional) with their organisation, as Practitioner, PractitionerRole and Organization.
 */
import type { Address as FhirAddress, BundleEntry, CodeableConcept, ContactPoint, HumanName, Identifier, Organization, Patient, Practitioner, PractitionerRole } from '@medplum/fhirtypes';
import { parsePersonNumber } from '../identity/person-number.js';
import type { CV } from '../eresept/schema/kith-datatypes.js';
import type { HealthcareProfessional, Ident, Organisation, Patient as MsgHeadPatient } from '../eresept/msghead.js';
import { ID_TYPE_HPR } from '../eresept/msghead.js';
import { SYSTEM, volvenSystem } from '../terminology/fhir-systems.js';
import { IDENTIFIER_SYSTEM, KODEVERK } from '../terminology/oids.js';
import { coding, originalCoding, type CodeContext } from './coded-values.js';
import { below } from './covered-paths.js';
import type { SourcePath } from './report.js';

/** KITH ID type (kodeverk 8116 / 9051) → FHIR identifier system. */
export const IDENT_TYPE_SYSTEM: Readonly<Record<string, string>> = {
  FNR: IDENTIFIER_SYSTEM.fnr,
  DNR: IDENTIFIER_SYSTEM.dnr,
  FHN: IDENTIFIER_SYSTEM.fhn,
  HPR: IDENTIFIER_SYSTEM.hpr,
  ENH: IDENTIFIER_SYSTEM.enh,
  HER: IDENTIFIER_SYSTEM.her,
  RSH: IDENTIFIER_SYSTEM.resh,
  AKO: IDENTIFIER_SYSTEM.ako,
};

const ADDRESS_TYPE_HOME = 'H';

/** KITH idents as FHIR identifiers; idents of an unknown type are reported, not guessed. */
export function identifiers(idents: readonly Ident[] | undefined, path: SourcePath, ctx: CodeContext): Identifier[] {
  const out: Identifier[] = [];
  (idents ?? []).forEach((ident, i) => {
    const system = ident.typeId.v ? IDENT_TYPE_SYSTEM[ident.typeId.v] : undefined;
    if (system) {
      out.push({ system, value: ident.id });
      ctx.report.carriedFields(path, i);
    } else {
      ctx.report.notCarried(below(path, i), `identifier type ${ident.typeId.v ?? '(none)'} has no FHIR identifier system`);
    }
  });
  return out;
}

/**
 * Sets `identifier` and `name` on a new resource, each only when there is one: FHIR JSON has no empty arrays
 * (an M1 party whose only ident is of an unknown type has no identifier in FHIR). Assigned, not spread: an
 * object built by spreading another serialises markedly slower.
 */
function identifiedAndNamed<T extends { identifier?: Identifier[]; name?: N }, N extends HumanName[] | string>(resource: T, identifier: Identifier[], name: N): T {
  if (identifier.length > 0) resource.identifier = identifier;
  if (name.length > 0) resource.name = name;
  return resource;
}

function humanName(p: { familyName?: string; middleName?: string; givenName?: string }, path: SourcePath, ctx: CodeContext): HumanName[] {
  const given = [p.givenName, p.middleName].filter((s): s is string => !!s);
  if (!p.familyName && given.length === 0) return [];
  ctx.report.carriedFields(path, 'familyName', 'givenName', 'middleName');
  const name: HumanName = {};
  if (p.familyName) name.family = p.familyName;
  if (given.length) name.given = given;
  return [name];
}

type KithAddress = NonNullable<MsgHeadPatient['address']>;

function address(a: KithAddress | undefined, path: SourcePath, ctx: CodeContext): FhirAddress[] {
  if (!a) return [];
  const out: FhirAddress = {};
  if (a.type?.v === ADDRESS_TYPE_HOME) out.use = 'home';
  if (a.streetAdr) out.line = [a.streetAdr];
  if (a.postbox) out.line = [...(out.line ?? []), a.postbox];
  if (a.postalCode) out.postalCode = a.postalCode;
  if (a.city) out.city = a.city;
  if (a.country?.v) out.country = a.country.v;
  ctx.report.carriedFields(path, 'streetAdr', 'postbox', 'postalCode', 'city', 'country');
  if (a.type) {
    // Address.text is the whole address as displayed, so the type's name does not belong there.
    if (a.type.v === ADDRESS_TYPE_HOME) ctx.report.carriedFields(path, 'type');
    else ctx.report.notCarried(below(path, 'type'), `address type ${a.type.v ?? ''} ${a.type.dn ?? ''} has no mapping to Address.use or Address.type`);
  }
  if (a.county) ctx.report.notCarried(below(path, 'county'), 'the kommune number has no FHIR Address element (district is a name)');
  // An Address element with nothing FHIR can hold (empty, or only a kommune number) gives no address.
  return Object.keys(out).length > 0 ? [out] : [];
}

function telecoms(list: readonly { teleAddress: { v?: string } }[] | undefined, path: SourcePath, ctx: CodeContext): ContactPoint[] {
  const out: ContactPoint[] = [];
  (list ?? []).forEach((t, i) => {
    const v = t.teleAddress.v;
    if (v === undefined) {
      ctx.report.notCarried(below(path, i), 'the telecom address is empty in the message');
      return;
    }
    const [scheme, rest] = v.includes(':') ? [v.slice(0, v.indexOf(':')), v.slice(v.indexOf(':') + 1)] : ['', v];
    const system = scheme === 'tel' ? 'phone' : scheme === 'fax' ? 'fax' : scheme === 'mailto' ? 'email' : 'url';
    out.push({ system, value: system === 'url' ? v : rest });
    ctx.report.carriedFields(path, i);
  });
  return out;
}

/** The patient's FHIR identifier (the first FNR, D-nummer or FHN), e.g. for audit; undefined when none. */
export function patientIdentifier(p: MsgHeadPatient | undefined): Identifier | undefined {
  const ident = p?.ident?.find((i) => i.typeId.v && ['FNR', 'DNR', 'FHN'].includes(i.typeId.v));
  const system = ident?.typeId.v ? IDENT_TYPE_SYSTEM[ident.typeId.v] : undefined;
  return ident && system ? { system, value: ident.id } : undefined;
}

/** The MsgHead Patient as a FHIR Patient; birthDate from DateOfBirth, or derived from the person number. */
export function euPatient(p: MsgHeadPatient, path: SourcePath, ctx: CodeContext): Patient {
  const patient = identifiedAndNamed<Patient, HumanName[]>({ resourceType: 'Patient' }, identifiers(p.ident, below(path, 'ident'), ctx), humanName(p, path, ctx));
  if (p.sex?.v) {
    const t = ctx.maps.translate(volvenSystem(KODEVERK.kjonn), p.sex.v, SYSTEM.administrativeGender)[0];
    if (t) {
      patient.gender = t.code as Patient['gender'];
      ctx.report.carriedFields(path, 'sex');
    } else {
      ctx.report.notCarried(below(path, 'sex'), `sex code ${p.sex.v} has no administrative-gender mapping`);
    }
  }
  if (p.dateOfBirth) {
    patient.birthDate = p.dateOfBirth;
    ctx.report.carriedFields(path, 'dateOfBirth');
  } else {
    const number = p.ident?.map((i) => parsePersonNumber(i.id, { allowSynthetic: true })).find((r) => r.ok);
    if (number?.ok) patient.birthDate = number.number.birthDate;
  }
  const addr = address(p.address, below(path, 'address'), ctx);
  if (addr.length) patient.address = addr;
  const tel = telecoms(p.teleCom, below(path, 'teleCom'), ctx);
  if (tel.length) patient.telecom = tel;
  if (p.nationality) ctx.report.notCarried(below(path, 'nationality'), 'nationality has no element in the EU patient');
  return patient;
}

function findPrescriber(org: Organisation, path: SourcePath): { hp: HealthcareProfessional; org: Organisation; orgPath: SourcePath; parents: [Organisation, SourcePath][] } | undefined {
  const parents: [Organisation, SourcePath][] = [];
  let current: Organisation | undefined = org;
  let currentPath = path;
  while (current) {
    if (current.healthcareProfessional?.ident.some((i) => i.typeId.v === ID_TYPE_HPR)) {
      return { hp: current.healthcareProfessional, org: current, orgPath: currentPath, parents };
    }
    parents.push([current, currentPath]);
    currentPath = below(currentPath, 'organisation');
    current = current.organisation;
  }
  return undefined;
}

/** A MsgHead Organisation as a FHIR Organization (identifiers, name, address, telecom). */
export function organization(org: Organisation, path: SourcePath, ctx: CodeContext): Organization {
  const out = identifiedAndNamed<Organization, string>({ resourceType: 'Organization' }, identifiers(org.ident, below(path, 'ident'), ctx), org.organisationName);
  ctx.report.carriedFields(path, 'organisationName');
  const addr = address(org.address, below(path, 'address'), ctx);
  if (addr.length) out.address = addr;
  const tel = telecoms(org.teleCom, below(path, 'teleCom'), ctx);
  if (tel.length) out.telecom = tel;
  return out;
}

/**
 * The prescriber and their organisation chain (institution → department) as FHIR resources.
 * @param id makes the fullUrl of a resource from its role
 */
export function euPrescriber(
  sender: Organisation,
  path: SourcePath,
  spesialitet: CV | undefined,
  spesialitetPath: SourcePath,
  ctx: CodeContext,
  id: (role: string) => string,
): { entries: BundleEntry[]; roleUrl: string } {
  const entries: BundleEntry[] = [];
  const found = findPrescriber(sender, path);
  const roleUrl = id('PractitionerRole');
  if (!found) return { entries, roleUrl };
  const { hp, org, orgPath, parents } = found;
  const hpPath: SourcePath = below(orgPath, 'healthcareProfessional');

  const orgUrl = id('Organization');
  const organizationResource = organization(org, orgPath, ctx);
  // The parent institutions, outermost last, linked by partOf.
  let child = organizationResource;
  parents.reverse().forEach(([parent, parentPath], i) => {
    const url = id(`Organization-parent-${i}`);
    child.partOf = { reference: url };
    const resource = organization(parent, parentPath, ctx);
    entries.push({ fullUrl: url, resource });
    child = resource;
  });
  entries.unshift({ fullUrl: orgUrl, resource: organizationResource });

  const practitionerUrl = id('Practitioner');
  const practitioner = identifiedAndNamed<Practitioner, HumanName[]>({ resourceType: 'Practitioner' }, identifiers(hp.ident, below(hpPath, 'ident'), ctx), humanName(hp, hpPath, ctx));
  const tel = telecoms(hp.teleCom, below(hpPath, 'teleCom'), ctx);
  if (tel.length) practitioner.telecom = tel;
  entries.push({ fullUrl: practitionerUrl, resource: practitioner });

  const role: PractitionerRole = { resourceType: 'PractitionerRole', practitioner: { reference: practitionerUrl }, organization: { reference: orgUrl } };
  if (hp.typeHealthcareProfessional?.v) {
    role.code = [{ coding: [coding(volvenSystem(KODEVERK.helsepersonellKategori), hp.typeHealthcareProfessional.v, hp.typeHealthcareProfessional.dn)] }];
    ctx.report.carriedFields(hpPath, 'typeHealthcareProfessional');
  }
  if (spesialitet) {
    const specialty: CodeableConcept = { coding: [originalCoding(spesialitet)] };
    if (spesialitet.dn) specialty.text = spesialitet.dn;
    role.specialty = [specialty];
    ctx.report.carried(spesialitetPath);
  }
  entries.push({ fullUrl: roleUrl, resource: role });
  return { entries, roleUrl };
}
