/**
 * Common components of namespace http://www.kith.no/xmlstds/felleskomponent1 (felleskomponent1.xsd)
 * as used inside the e-resept documents: Ident and Address.
 */
import { KODEVERK } from '../terminology/oids.js';
import { complex, one, opt } from './schema/complex-type.js';
import { cs, cv } from './schema/kith-datatypes.js';
import { str } from './schema/shorthand.js';
import { NS } from './namespaces.js';

/** `fk1:Ident` of a person (TypeId from kodeverk 8116: FNR, DNR, HPR, …). */
export const fk1PersonIdent = complex(NS.felleskomponent1, [one('Id', str), one('TypeId', cv(KODEVERK.idTypePerson))]);

/** `fk1:Ident` of an organisation (TypeId from kodeverk 9051: ENH, HER, AKO, …). */
export const fk1OrganisationIdent = complex(NS.felleskomponent1, [one('Id', str), one('TypeId', cv(KODEVERK.idTypeOrganisasjon))]);

/** `fk1:Address`. */
export const fk1Address = complex(NS.felleskomponent1, [
  opt('Type', cs()),
  opt('StreetAdr', str),
  opt('PostalCode', str),
  opt('City', str),
  opt('Postbox', str),
  opt('County', cs()),
  opt('Country', cs()),
]);
