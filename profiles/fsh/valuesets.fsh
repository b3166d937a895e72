// ValueSets over the Norwegian code lists the service uses. The codes themselves are the CodeSystems in
// profiles/terminology/CodeSystem-volven-<nnnn>.json (not repeated here): each ValueSet takes all of them.

ValueSet: Volven3101
Id: volven-3101
Title: "Kjønn (Volven 3101)"
Description: "All codes of the Volven code list 3101 (Kjønn). Patient sex as e-resept writes it; mapped to administrative-gender by ConceptMap volven-3101-to-administrative-gender."
* ^status = #active
* ^experimental = false
* include codes from system $volven-3101

ValueSet: Volven7448
Id: volven-7448
Title: "Legemiddelform (Volven 7448)"
Description: "All codes of the Volven code list 7448 (Legemiddelform). Dose forms (LegemiddelformKort); carried beside the EDQM coding in Medication.form."
* ^status = #active
* ^experimental = false
* include codes from system $volven-7448

ValueSet: Volven7452
Id: volven-7452
Title: "Enhet for pakning (Volven 7452)"
Description: "All codes of the Volven code list 7452 (Enhet for pakning). Package units (PakningsinfoResept/EnhetPakning); mapped to UCUM / EDQM units of presentation."
* ^status = #active
* ^experimental = false
* include codes from system $volven-7452

ValueSet: Volven7477
Id: volven-7477
Title: "Administrasjonsvei (Volven 7477)"
Description: "All codes of the Volven code list 7477 (Administrasjonsvei). Routes of administration; carried beside the EDQM route in Dosage.route."
* ^status = #active
* ^experimental = false
* include codes from system $volven-7477

ValueSet: Volven7480
Id: volven-7480
Title: "Enhet for dosering (Volven 7480)"
Description: "All codes of the Volven code list 7480 (Enhet for dosering). Dose units; mapped to UCUM / EDQM units of presentation."
* ^status = #active
* ^experimental = false
* include codes from system $volven-7480

ValueSet: Volven7497
Id: volven-7497
Title: "Reaksjon (Volven 7497)"
Description: "All codes of the Volven code list 7497 (Reaksjon). Reaction types of Kjernejournal allergies; AllergyIntolerance.reaction.manifestation."
* ^status = #active
* ^experimental = false
* include codes from system $volven-7497

ValueSet: Volven8325
Id: volven-8325
Title: "Tidspunkt på dagen (Volven 8325)"
Description: "All codes of the Volven code list 8325 (Tidspunkt på dagen). Time of day in structured dosage; mapped to event-timing."
* ^status = #active
* ^experimental = false
* include codes from system $volven-8325

ValueSet: Volven9060
Id: volven-9060
Title: "Kategori helsepersonell (Volven 9060)"
Description: "All codes of the Volven code list 9060 (Kategori helsepersonell). Health personnel category (HPR); PractitionerRole.code of the prescriber."
* ^status = #active
* ^experimental = false
* include codes from system $volven-9060

ValueSet: Volven9088
Id: volven-9088
Title: "Benevning tidsenhet (Volven 9088)"
Description: "All codes of the Volven code list 9088 (Benevning tidsenhet). Time units of dosage intervals; mapped to UCUM."
* ^status = #active
* ^experimental = false
* include codes from system $volven-9088

ValueSet: Volven9101
Id: volven-9101
Title: "Legemiddelbruk (Volven 9101)"
Description: "All codes of the Volven code list 9101 (Legemiddelbruk). Kind of use (fast, kur, ved behov …); carried beside course-of-therapy in MedicationRequest.courseOfTherapyType."
* ^status = #active
* ^experimental = false
* include codes from system $volven-9101

ValueSet: NoSectionEmptyReason
Id: no-section-empty-reason
Title: "Why a summary section is empty"
Description: "The list-empty-reason codes: the national summary says unavailable (a source could not be reached) or nilknown (the sources hold nothing); IPS recommends unavailable or notasked. Bound required on Composition.section.emptyReason. The codes are listed here (not the whole system) so that the list stays fixed as HL7 Terminology evolves."
* ^status = #active
* ^experimental = false
* $list-empty-reason#nilknown "Nil Known"
* $list-empty-reason#notasked "Not Asked"
* $list-empty-reason#withheld "Information Withheld"
* $list-empty-reason#unavailable "Unavailable"
* $list-empty-reason#notstarted "Not Started"
* $list-empty-reason#closed "Closed"

ValueSet: NoPsSections
Id: no-ps-sections
Title: "The six sections of the Norwegian patient summary"
Description: "LOINC codes of the six sections the Norwegian plan makes mandatory (eu-formats.md §1.2)."
* ^status = #active
* ^experimental = false
* $loinc#46264-8 "History of medical device use"
* $loinc#104605-1 "Alert"
* $loinc#48765-2 "Allergies and adverse reactions Document"
* $loinc#10160-0 "History of Medication use Narrative"
* $loinc#11450-4 "Problem list - Reported"
* $loinc#47519-4 "History of Procedures Document"

ValueSet: NoDoseForm
Id: no-dose-form
Title: "Dose form: EDQM Standard Terms or Volven 7448"
Description: "Medication.form as the service writes it: the EDQM dose form (what MyHealth@EU expects) with the Norwegian Volven 7448 coding beside it."
* ^status = #active
* ^experimental = false
* include codes from system $edqm
* include codes from system $volven-7448

ValueSet: NoRoute
Id: no-route
Title: "Route of administration: EDQM Standard Terms or Volven 7477"
Description: "Dosage.route as the service writes it: the EDQM route with the Norwegian Volven 7477 coding beside it."
* ^status = #active
* ^experimental = false
* include codes from system $edqm
* include codes from system $volven-7477

ValueSet: NoCourseOfTherapy
Id: no-course-of-therapy
Title: "Course of therapy: HL7 or Volven 9101"
Description: "MedicationRequest.courseOfTherapyType as the service writes it: the HL7 course-of-therapy code where ConceptMap volven-9101-to-course-of-therapy has one, and the Volven 9101 coding."
* ^status = #active
* ^experimental = false
* include codes from system $course-of-therapy
* include codes from system $volven-9101
