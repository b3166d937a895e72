/**
 * XML namespaces of the e-resept messages (facts: no-formats.md §1.0). Elements are matched by
 * namespace URI, never by prefix; the prefixes here are only what this project writes and uses in XPaths.
 */
export const NS = {
  msgHead: 'http://www.kith.no/xmlstds/msghead/2006-05-24',
  m1: 'http://www.kith.no/xmlstds/eresept/m1/2013-10-08',
  forskrivning: 'http://www.kith.no/xmlstds/eresept/forskrivning/2013-10-08',
  m10: 'http://www.kith.no/xmlstds/eresept/m10/2013-10-08',
  utlevering: 'http://www.kith.no/xmlstds/eresept/utlevering/2013-10-08',
  kith: 'http://www.kith.no/xmlstds',
  felleskomponent1: 'http://www.kith.no/xmlstds/felleskomponent1',
  xmldsig: 'http://www.w3.org/2000/09/xmldsig#',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
} as const;

/** Namespace URI → the prefix used in XPaths of issues and in written messages. */
export const XPATH_PREFIXES: Readonly<Record<string, string>> = {
  [NS.msgHead]: 'mh',
  [NS.m1]: 'm1',
  [NS.forskrivning]: 'fs',
  [NS.m10]: 'm10',
  [NS.utlevering]: 'ul',
  [NS.kith]: 'kith',
  [NS.felleskomponent1]: 'fk1',
  [NS.xmldsig]: 'ds',
  [NS.xsi]: 'xsi',
};

/** Namespace of the older M1 version (2010-05-01), recognised to give a clear answer. */
export const NS_M1_2010 = 'http://www.kith.no/xmlstds/eresept/m1/2010-05-01';
