/**
 * Types that KITH defines twice, once in MsgHead's namespace and once in felleskomponent1's, with the
 * same content: Ident and Address. One description each, instantiated per namespace.
 */
import { complex, one, opt } from './schema/complex-type.js';
import { cs, cv } from './schema/kith-datatypes.js';
import { str } from './schema/shorthand.js';

/**
 * `Ident` in namespace `ns`, its TypeId from Volven list `kodeverk` (8116 persons, 9051 organisations).
 * @example identType(NS.msgHead, KODEVERK.idTypePerson)
 */
export function identType(ns: string, kodeverk: number) {
  return complex(ns, [one('Id', str), one('TypeId', cv(kodeverk))]);
}

/** `Address` in namespace `ns`. */
export function addressType(ns: string) {
  return complex(ns, [
    opt('Type', cs()),
    opt('StreetAdr', str),
    opt('PostalCode', str),
    opt('City', str),
    opt('Postbox', str),
    opt('County', cs()),
    opt('Country', cs()),
  ]);
}
