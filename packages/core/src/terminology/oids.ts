/**
 * Norwegian object identifiers (OIDs) and FHIR system URIs used by the project.
 * Each is named once here; code refers to the constant, never to the literal.
 *
 * Facts: ../shared/specs/no-formats.md §1.6 (kodeverk), §3.1 (FHIR identifier systems), §4.1 (registers).
 */

/** Root of the Volven code-system OIDs: `2.16.578.1.12.4.1.1.<nnnn>`. */
export const KODEVERK_OID_ROOT = '2.16.578.1.12.4.1.1';

/** The OID of Volven code system number `nnnn`, e.g. `kodeverkOid(7448)` → `2.16.578.1.12.4.1.1.7448`. */
export function kodeverkOid(nnnn: number): string {
  return `${KODEVERK_OID_ROOT}.${nnnn}`;
}

/** Volven code systems used in e-resept messages, by their number (kodeverk). */
export const KODEVERK = {
  jaNei: 1101,
  kjonn: 3101,
  kommunenummer: 3402,
  icd10: 7110,
  icpc2: 7170,
  atc: 7180,
  ncspN: 7210,
  ncmp: 7220,
  ncrp: 7270,
  klinisk_prosedyrekodeverk: 7275,
  varegruppe: 7402,
  produktgruppe: 7403,
  metodeForUtlevering: 7404,
  kanselleringskode: 7411,
  grunnlagForIntervensjon: 7412,
  typeIntervensjon: 7413,
  konvensjonsland: 7416,
  reseptgruppe: 7421,
  preparattype: 7424,
  hprSpesialitet: 7426,
  refusjonshjemmel: 7427,
  refusjonskoderIcpc: 7434,
  refusjonskoderIcd: 7435,
  styrkeoperator: 7445,
  legemiddelform: 7448,
  pakningstype: 7449,
  enhetForPakning: 7452,
  administrasjonsvei: 7477,
  kortdose: 7478,
  forholdsregelVedInntak: 7479,
  enhetForDosering: 7480,
  enhetForKvantum: 7484,
  reaksjon: 7497,
  kildeKritiskInfo: 7498,
  idTypePerson: 8116,
  tidspunktPaDagen: 8325,
  idTypeOrganisasjon: 9051,
  helsepersonellKategori: 9060,
  legemiddelbruk: 9101,
  institusjonsId: 3512,
} as const;

/** OID of the ID-type code system for persons (FNR, DNR, HPR, …), used in `Ident/TypeId/@S`. */
export const OID_ID_TYPE_PERSON = kodeverkOid(KODEVERK.idTypePerson);
/** OID of the ID-type code system for organisations (ENH, HER, AKO, …), used in `Ident/TypeId/@S`. */
export const OID_ID_TYPE_ORGANISATION = kodeverkOid(KODEVERK.idTypeOrganisasjon);

/** FHIR identifier namespaces (`Identifier.system`) for Norwegian identities. */
export const IDENTIFIER_SYSTEM = {
  /** Fødselsnummer. */
  fnr: 'urn:oid:2.16.578.1.12.4.1.4.1',
  /** D-nummer. */
  dnr: 'urn:oid:2.16.578.1.12.4.1.4.2',
  /** Felles hjelpenummer. */
  fhn: 'urn:oid:2.16.578.1.12.4.1.4.3',
  /** HPR-nummer (health personnel register). */
  hpr: 'urn:oid:2.16.578.1.12.4.1.4.4',
  /** Organisasjonsnummer (Enhetsregisteret). */
  enh: 'urn:oid:2.16.578.1.12.4.1.4.101',
  /** RESH-id. */
  resh: 'urn:oid:2.16.578.1.12.4.1.4.102',
  /** Apotekkonsesjonsnummer. */
  ako: 'urn:oid:2.16.578.1.12.4.1.4.107',
  /** HER-id (adresseregisteret). */
  her: 'urn:oid:2.16.578.1.12.4.1.2',
} as const;
