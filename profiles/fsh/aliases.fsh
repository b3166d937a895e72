// Code systems, identifier systems and canonicals used by the profiles (named once; the TypeScript side
// names the same values in packages/core/src/terminology/{oids,fhir-systems}.ts).
Alias: $loinc = http://loinc.org
Alias: $sct = http://snomed.info/sct
Alias: $list-empty-reason = http://terminology.hl7.org/CodeSystem/list-empty-reason
Alias: $course-of-therapy = http://terminology.hl7.org/CodeSystem/medicationrequest-course-of-therapy
Alias: $fnr = urn:oid:2.16.578.1.12.4.1.4.1
Alias: $dnr = urn:oid:2.16.578.1.12.4.1.4.2
Alias: $fhn = urn:oid:2.16.578.1.12.4.1.4.3
Alias: $volven-3101 = urn:oid:2.16.578.1.12.4.1.1.3101
Alias: $volven-7448 = urn:oid:2.16.578.1.12.4.1.1.7448
Alias: $volven-7452 = urn:oid:2.16.578.1.12.4.1.1.7452
Alias: $volven-7477 = urn:oid:2.16.578.1.12.4.1.1.7477
Alias: $volven-7480 = urn:oid:2.16.578.1.12.4.1.1.7480
Alias: $volven-7497 = urn:oid:2.16.578.1.12.4.1.1.7497
Alias: $volven-8325 = urn:oid:2.16.578.1.12.4.1.1.8325
Alias: $volven-9060 = urn:oid:2.16.578.1.12.4.1.1.9060
Alias: $volven-9088 = urn:oid:2.16.578.1.12.4.1.1.9088
Alias: $volven-9101 = urn:oid:2.16.578.1.12.4.1.1.9101
Alias: $edqm = http://standardterms.edqm.eu
Alias: $ucum = http://unitsofmeasure.org
Alias: $flag-detail = http://hl7.org/fhir/StructureDefinition/flag-detail
