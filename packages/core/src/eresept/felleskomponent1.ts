/**
 * Common components of namespace http://www.kith.no/xmlstds/felleskomponent1 (felleskomponent1.xsd)
 * as used inside the e-resept documents: Ident and Address.
 */
import { KODEVERK } from '../terminology/oids.js';
import { addressType, identType } from './common-types.js';
import { NS } from './namespaces.js';

/** `fk1:Ident` of a person (TypeId from kodeverk 8116: FNR, DNR, HPR, …). */
export const fk1PersonIdent = identType(NS.felleskomponent1, KODEVERK.idTypePerson);

/** `fk1:Ident` of an organisation (TypeId from kodeverk 9051: ENH, HER, AKO, …). */
export const fk1OrganisationIdent = identType(NS.felleskomponent1, KODEVERK.idTypeOrganisasjon);

/** `fk1:Address`. */
export const fk1Address = addressType(NS.felleskomponent1);
