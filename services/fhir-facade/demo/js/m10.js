/**
 * A Norwegian pharmacy's dispensing of an EU ePrescription: the Utlevering (M10 message) the pharmacy
 * system writes, built in the page in the shape of `test-data/eresept/m10-eu-resept-amoxicillin.xml`
 * (ReseptId = the EU prescription's id, the patient by name and birth date, the Norwegian package
 * dispensed, the pharmacist's HPR number as AnsattId). Pure: no DOM.
 */

const NS = {
  msgHead: 'http://www.kith.no/xmlstds/msghead/2006-05-24',
  m10: 'http://www.kith.no/xmlstds/eresept/m10/2013-10-08',
  utlevering: 'http://www.kith.no/xmlstds/eresept/utlevering/2013-10-08',
  m1: 'http://www.kith.no/xmlstds/eresept/m1/2013-10-08',
  forskrivning: 'http://www.kith.no/xmlstds/eresept/forskrivning/2013-10-08',
  felleskomponent: 'http://www.kith.no/xmlstds/felleskomponent1',
};
/** Volven OIDs of the code lists used: identifier types (9051), ATC (7180), package units (7452). */
const OID = { identType: '2.16.578.1.12.4.1.1.9051', atc: '2.16.578.1.12.4.1.1.7180', packageUnit: '2.16.578.1.12.4.1.1.7452' };
/** Reseptformidleren, the receiver of every M10. */
const RESEPTFORMIDLEREN = { name: 'Reseptformidleren', enh: '991000127' };

/** The invented Norwegian pharmacy and pharmacist of the demo (as in the M10 fixtures). */
export const DEMO_PHARMACY = {
  name: 'Apotek Testbyen Sentrum', enh: '991001018', her: '8123420', ako: '9123',
  street: 'Torggata 4', postalCode: '0181', city: 'Oslo', pharmacistHpr: '565104380',
};

/** Text for XML content and attribute values. */
export function escapeXml(value) {
  return String(value).replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]);
}

/**
 * The M10 XML.
 * @param {{ prescriptionId: string, patient: { family: string, given: string, birthDate: string },
 *   product: { varenr: string, name: string, atc: string, atcName: string, packSize: number },
 *   dosageText: string, packages: number, dispensedOn: string, genDate: string, msgId: string,
 *   pharmacy?: typeof DEMO_PHARMACY }} d `dispensedOn` YYYY-MM-DD, `genDate` an ISO date-time
 */
export function buildM10ForEuPrescription(d) {
  const p = d.pharmacy ?? DEMO_PHARMACY;
  const x = escapeXml;
  const ident = (id, type, dn) => `<Ident><Id>${x(id)}</Id><TypeId V="${type}" S="${OID.identType}" DN="${dn}"/></Ident>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<MsgHead xmlns="${NS.msgHead}" xmlns:m10="${NS.m10}" xmlns:ul="${NS.utlevering}" xmlns:m1="${NS.m1}" xmlns:fs="${NS.forskrivning}" xmlns:fk1="${NS.felleskomponent}">
  <MsgInfo>
    <Type V="ERM10" DN="Utleveringsrapport reseptbanken"/>
    <MIGversion>v1.2 2006-05-24</MIGversion>
    <GenDate>${x(d.genDate)}</GenDate>
    <MsgId>${x(d.msgId)}</MsgId>
    <Sender>
      <Organisation>
        <OrganisationName>${x(p.name)}</OrganisationName>
        ${ident(p.enh, 'ENH', 'Organisasjonsnummer i Enhetsregisteret')}
        ${ident(p.her, 'HER', 'HER-id')}
        ${ident(p.ako, 'AKO', 'Apotekets konsesjonsnummer')}
        <Address>
          <Type V="RES" DN="Besøksadresse"/>
          <StreetAdr>${x(p.street)}</StreetAdr>
          <PostalCode>${x(p.postalCode)}</PostalCode>
          <City>${x(p.city)}</City>
        </Address>
      </Organisation>
    </Sender>
    <Receiver>
      <Organisation>
        <OrganisationName>${RESEPTFORMIDLEREN.name}</OrganisationName>
        ${ident(RESEPTFORMIDLEREN.enh, 'ENH', 'Organisasjonsnummer i Enhetsregisteret')}
      </Organisation>
    </Receiver>
    <Patient>
      <FamilyName>${x(d.patient.family)}</FamilyName>
      <GivenName>${x(d.patient.given)}</GivenName>
      <DateOfBirth>${x(d.patient.birthDate)}</DateOfBirth>
    </Patient>
  </MsgInfo>
  <Document>
    <RefDoc>
      <MsgType V="XML" DN="XML-instans"/>
      <Content>
        <m10:Utleveringsrapport>
          <ul:Utlevering>
            <ul:ReseptId>${x(d.prescriptionId)}</ul:ReseptId>
            <ul:Utleveringsdato>${x(d.dispensedOn)}</ul:Utleveringsdato>
            <ul:Annullering>false</ul:Annullering>
            <ul:Avsluttet V="1" DN="Ja"/>
            <m1:ReseptDokLegemiddel>
              <m1:Varegruppekode V="L" DN="Legemiddel"/>
              <m1:Antall>${x(d.packages)}</m1:Antall>
              <m1:Reiterasjon>0</m1:Reiterasjon>
              <fs:Forskrivning>
                <fs:DosVeiledEnkel>${x(d.dosageText)}</fs:DosVeiledEnkel>
                <fs:Legemiddelpakning>
                  <fs:Atc V="${x(d.product.atc)}" S="${OID.atc}" DN="${x(d.product.atcName)}"/>
                  <fs:NavnFormStyrke>${x(d.product.name)}</fs:NavnFormStyrke>
                  <fs:Reseptgruppe V="C" DN="Reseptgruppe C"/>
                  <fs:Varenr>${x(d.product.varenr)}</fs:Varenr>
                  <fs:PakningsinfoResept>
                    <fs:Varenavn>${x(d.product.name)}</fs:Varenavn>
                    <fs:Pakningsstr>${x(d.product.packSize)}</fs:Pakningsstr>
                    <fs:EnhetPakning V="stk" S="${OID.packageUnit}" DN="stykk"/>
                  </fs:PakningsinfoResept>
                </fs:Legemiddelpakning>
              </fs:Forskrivning>
            </m1:ReseptDokLegemiddel>
            <ul:Utleverer>
              <ul:HerId>
                <fk1:Id>${x(p.her)}</fk1:Id>
                <fk1:TypeId V="HER" S="${OID.identType}" DN="HER-id"/>
              </ul:HerId>
              <ul:Navn>${x(p.name)}</ul:Navn>
            </ul:Utleverer>
          </ul:Utlevering>
          <m10:ReservasjonRapportFastlege>false</m10:ReservasjonRapportFastlege>
          <m10:AnsattId>${x(p.pharmacistHpr)}</m10:AnsattId>
        </m10:Utleveringsrapport>
      </Content>
    </RefDoc>
  </Document>
</MsgHead>
`;
}
