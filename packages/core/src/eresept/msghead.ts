/**
 * The KITH MsgHead envelope (namespace http://www.kith.no/xmlstds/msghead/2006-05-24, MsgHead-v1_2.xsd)
 * around every e-resept document. Facts: no-formats.md §1.1.
 */
import { parsePersonNumber } from '../identity/person-number.js';
import { KODEVERK } from '../terminology/oids.js';
import { choice, complex, lazy, many, one, oneOrMore, opt, type InferItems } from './schema/complex-type.js';
import type { DecodeContext, ElementType } from './schema/element-type.js';
import { cs, cv, ts, url, type CV } from './schema/kith-datatypes.js';
import { anyUri, date, dateTime, opaque, str } from './schema/shorthand.js';
import { childPath } from './schema/xpath.js';
import { addressType, identType } from './common-types.js';
import { NS } from './namespaces.js';

const ns = NS.msgHead;

/** The MIGversion text MsgHead 1.2 requires. */
export const MSGHEAD_MIG_VERSION = 'v1.2 2006-05-24';

/** ID types (kodeverk 8116) of person numbers that carry a birth date and check digits. */
export const PERSON_NUMBER_ID_TYPES = { fnr: 'FNR', dnr: 'DNR', hnr: 'HNR' } as const;
/** ID type (kodeverk 8116) of an HPR number. */
export const ID_TYPE_HPR = 'HPR';
/** ID types (kodeverk 9051) of organisations. */
export const ORGANISATION_ID_TYPES = { enh: 'ENH', her: 'HER', resh: 'RSH', ako: 'AKO', lok: 'LOK' } as const;

/** `Ident` of a person (TypeId kodeverk 8116). */
export const personIdent = identType(ns, KODEVERK.idTypePerson);
/** `Ident` of an organisation (TypeId kodeverk 9051). */
export const organisationIdent = identType(ns, KODEVERK.idTypeOrganisasjon);
/** A decoded `Ident`. */
export type Ident = InferItems<typeof personIdent.items>;

/** `Address`. */
export const address = addressType(ns);

/** Name, birth date, sex and nationality: the person fields that Patient and HealthcareProfessional share. */
const personFields = [
  opt('FamilyName', str),
  opt('MiddleName', str),
  opt('GivenName', str),
  opt('DateOfBirth', date),
  opt('Sex', cs(KODEVERK.kjonn)),
  opt('Nationality', cs()),
] as const;

/** `TeleCom`. */
export const teleCom = complex(ns, [opt('TypeTelecom', cs()), one('TeleAddress', url)]);

/** `HealthcareProfessional` (in M1: the prescriber, with an HPR ident). */
export const healthcareProfessional = complex(ns, [
  opt('TypeHealthcareProfessional', cs()),
  opt('RoleToPatient', cv()),
  ...personFields,
  oneOrMore('Ident', personIdent),
  opt('Address', address),
  many('TeleCom', teleCom),
]);
/** A decoded `HealthcareProfessional`. */
export type HealthcareProfessional = InferItems<typeof healthcareProfessional.items>;

/** A decoded `Organisation` (recursive: a department inside its institution). */
export interface Organisation {
  organisationName: string;
  typeOrganisation?: CV;
  ident: Ident[];
  address?: InferItems<typeof address.items>;
  teleCom?: InferItems<typeof teleCom.items>[];
  organisation?: Organisation;
  healthcareProfessional?: HealthcareProfessional;
}

const organisationFields = [
  one('OrganisationName', str),
  opt('TypeOrganisation', cv()),
  oneOrMore('Ident', organisationIdent),
  opt('Address', address),
  many('TeleCom', teleCom),
  opt('Organisation', lazy((): ElementType<Organisation> => organisation)),
  opt('HealthcareProfessional', healthcareProfessional),
] as const;

/** `Organisation`. */
export const organisation: ElementType<Organisation> = complex(ns, organisationFields);

/** The ID types (TypeId V) of Norwegian person numbers. */
const PERSON_NUMBER_TYPES: readonly string[] = Object.values(PERSON_NUMBER_ID_TYPES);

function checkPatient(patient: InferItems<typeof patientFields>, path: string, ctx: DecodeContext): void {
  const idents = patient.ident ?? [];
  idents.forEach((ident, index) => {
    const type = ident.typeId.v;
    if (type === undefined || !PERSON_NUMBER_TYPES.includes(type)) return;
    // Built only for an issue: a valid number (nearly always) needs no XPath.
    const identPath = () => `${childPath(path, ns, 'Ident', index + 1)}/mh:Id`;
    const parsed = parsePersonNumber(ident.id, { allowSynthetic: ctx.allowSyntheticIdentities });
    if (!parsed.ok) {
      ctx.issues.error('value', identPath(), `not a valid ${type}: ${parsed.message}`);
      return;
    }
    if (PERSON_NUMBER_ID_TYPES[parsed.number.kind] !== type) {
      ctx.issues.error('value', identPath(), `the number is a ${PERSON_NUMBER_ID_TYPES[parsed.number.kind]}, but TypeId says ${type}`);
      return;
    }
    if (patient.dateOfBirth !== undefined && patient.dateOfBirth !== parsed.number.birthDate) {
      ctx.issues.error('business-rule', childPath(path, ns, 'DateOfBirth'), `DateOfBirth ${patient.dateOfBirth} does not match the birth date ${parsed.number.birthDate} in the ${type}`);
    }
    if (type === PERSON_NUMBER_ID_TYPES.dnr && patient.dateOfBirth === undefined) {
      ctx.issues.error('required', childPath(path, ns, 'DateOfBirth'), 'a patient identified by D-nummer must have DateOfBirth');
    }
  });
}

const patientFields = [
  ...personFields,
  many('Ident', personIdent),
  opt('Address', address),
  many('TeleCom', teleCom),
] as const;

/** `Patient`: identity numbers are checked (check digits, kind, DateOfBirth consistency). */
export const patient = complex(ns, patientFields, { check: checkPatient });
/** A decoded `Patient`. */
export type Patient = InferItems<typeof patientFields>;

/** `Sender` / `Receiver`. */
export const party = complex(ns, [opt('ComMethod', cs()), one('Organisation', organisation)]);

/** `ConversationRef`. */
export const conversationRef = complex(ns, [one('RefToParent', str), one('RefToConversation', str)]);

/** `MsgInfo`. */
export const msgInfo = complex(
  ns,
  [
    one('Type', cs()),
    one('MIGversion', str, { key: 'migVersion' as const }),
    one('GenDate', dateTime),
    one('MsgId', str),
    opt('ProcessingStatus', cs()),
    opt('RequestedPriority', cs()),
    opt('Ack', cs()),
    opt('ConversationRef', conversationRef),
    one('Sender', party),
    one('Receiver', party),
    many('OtherReceiver', opaque),
    opt('Patient', patient),
  ],
  {
    check: (info, path, ctx) => {
      if (info.migVersion !== MSGHEAD_MIG_VERSION) {
        ctx.issues.error('value', childPath(path, ns, 'MIGversion'), `MIGversion must be "${MSGHEAD_MIG_VERSION}"`);
      }
    },
  },
);
/** A decoded `MsgInfo`. */
export type MsgInfo = InferItems<typeof msgInfo.items>;

/**
 * `Document` with its `RefDoc`, for a given type of `RefDoc/Content`.
 * @param content the element type of `Content` (what this message carries)
 */
export function documentType<C>(content: ElementType<C>) {
  const refDoc = complex(ns, [
    opt('IssueDate', ts),
    one('MsgType', cs()),
    opt('Id', str),
    opt('MimeType', str),
    opt('Description', str),
    opt('Compression', cs()),
    choice([opt('FileReference', anyUri), opt('Content', content)], 0),
  ]);
  return complex(ns, [
    opt('DocumentConnection', cs()),
    opt('ContentType', cv()),
    opt('ContentDescription', str),
    opt('ContentCategory', cv()),
    opt('Consent', cv()),
    opt('Annotation', str),
    opt('FromDate', ts),
    opt('ToDate', ts),
    opt('OidRef', str),
    opt('EnquiryRefId', str),
    one('RefDoc', refDoc),
  ]);
}

/**
 * The `MsgHead` root for a given type of document content. `PatientReport` (register reporting) is not
 * part of e-resept and is refused as unknown.
 */
export function msgHeadType<C>(content: ElementType<C>) {
  return complex(ns, [
    one('MsgInfo', msgInfo),
    oneOrMore('Document', documentType(content)),
    opt('Signature', opaque, { ns: NS.xmldsig }),
  ]);
}
