// Extensions the service writes.
//
// Part 1, this project's own extensions (canonical base https://ehds-no.github.io/fhir).

Extension: SectionSourceStatus
Id: section-source-status
Title: "State of a national source behind a summary section"
Description: "One per source behind a Composition section: which source, whether its data was fresh, stale (the last snapshot, with dataTime) or unavailable. The section notes and narrative are rendered from it."
Context: Composition.section
* extension contains source 1..1 and status 1..1 and dataTime 0..1
* extension[source].value[x] only code
* extension[source].valueCode from NoNationalSource (required)
* extension[status].value[x] only code
* extension[status].valueCode from NoSourceStatus (required)
* extension[dataTime].value[x] only instant

Extension: ClinicalRelevance
Id: clinical-relevance
Title: "Marked as most clinically relevant"
Description: "A clinician marked the summary entry as most clinically relevant: who (HPR number and name) and when."
Context: Resource
* extension contains markedBy 1..1 and markedAt 1..1
* extension[markedBy].value[x] only Reference
* extension[markedAt].value[x] only dateTime

Extension: DerivedValue
Id: derived-value
Title: "Value derived by a rule"
Description: "The element's value was derived by the stated rule, not stated by the source (e.g. clinicalStatus active for a diagnosis reported within 24 months)."
Context: Element
* value[x] 1..1
* value[x] only string

Extension: SourceFetchedAt
Id: source-fetched-at
Title: "When a source record was fetched"
Description: "On Provenance.entity: when the data of that source record was fetched."
Context: Provenance.entity
* value[x] 1..1
* value[x] only instant

Extension: NationalSource
Id: national-source
Title: "National source of a change notification"
Description: "On the notification-event parameter of a source change notification: which national source changed."
Context: Parameters.parameter
* value[x] 1..1
* value[x] only code
* valueCode from NoNationalSource (required)

CodeSystem: NoNationalSourceCS
Id: national-source
Title: "The national sources of the patient summary"
Description: "The five national sources the summary service asks."
* ^caseSensitive = true
* ^content = #complete
* #kjernejournal "Kjernejournal"
* #pll "Pasientens legemiddelliste"
* #reseptformidleren "Reseptformidleren"
* #npr "Norsk pasientregister"
* #kpr "Kommunalt pasient- og brukerregister"

ValueSet: NoNationalSource
Id: national-source
Title: "The national sources of the patient summary"
Description: "All codes of the national-source code system."
* ^status = #active
* include codes from system NoNationalSourceCS

CodeSystem: NoSourceStatusCS
Id: source-status
Title: "State of a source's data in a summary"
Description: "fresh: fetched for this build; stale: the source failed, its last snapshot was used; unavailable: it failed and nothing was cached."
* ^caseSensitive = true
* ^content = #complete
* #fresh "Fresh"
* #stale "Stale (last snapshot)"
* #unavailable "Unavailable"

ValueSet: NoSourceStatus
Id: source-status
Title: "State of a source's data in a summary"
Description: "All codes of the source-status code system."
* ^status = #active
* include codes from system NoSourceStatusCS

// Part 2, extensions of other guides that the service writes. Their packages (IHE MPD, FHIR R5
// cross-version, FHIR extensions) cannot be loaded offline, so each is restated here under its official
// canonical URL, with only its context and value type: enough for SUSHI to slice by it and for the validator
// to check the value's type. They are not this project's definitions.

Extension: IheMedicationRequestPrescribedQuantity
Id: ihe-ext-medicationrequest-prescribedQuantity
Title: "IHE MPD: prescribed quantity (restated)"
Description: "Restated from IHE Pharmacy MPD: the prescribed quantity, in packages when the Medication implies a pack size, otherwise in units."
Context: MedicationRequest.dispenseRequest
* ^url = "https://profiles.ihe.net/PHARM/MPD/StructureDefinition/ihe-ext-medicationrequest-prescribedQuantity"
* value[x] 1..1
* value[x] only Quantity

Extension: IheMedicationProductName
Id: ihe-ext-medication-productname
Title: "IHE MPD: product name (restated)"
Description: "Restated from IHE Pharmacy MPD: the medicinal product's name."
Context: Medication
* ^url = "https://profiles.ihe.net/PHARM/MPD/StructureDefinition/ihe-ext-medication-productname"
* value[x] 1..1
* value[x] only string

Extension: IheMedicationClassification
Id: ihe-ext-medication-classification
Title: "IHE MPD: classification (restated)"
Description: "Restated from IHE Pharmacy MPD: a classification of the product, e.g. ATC."
Context: Medication
* ^url = "https://profiles.ihe.net/PHARM/MPD/StructureDefinition/ihe-ext-medication-classification"
* value[x] 1..1
* value[x] only CodeableConcept

Extension: R5MedicationRequestRenderedDosageInstruction
Id: extension-MedicationRequest.renderedDosageInstruction
Title: "R5 backport: MedicationRequest.renderedDosageInstruction (restated)"
Description: "Restated from the FHIR R5 cross-version extensions: the full dosage instruction as text (markdown)."
Context: MedicationRequest
* ^url = "http://hl7.org/fhir/5.0/StructureDefinition/extension-MedicationRequest.renderedDosageInstruction"
* value[x] 1..1
* value[x] only markdown

Extension: R5MedicationDispenseRecorded
Id: extension-MedicationDispense.recorded
Title: "R5 backport: MedicationDispense.recorded (restated)"
Description: "Restated from the FHIR R5 cross-version extensions: when the dispense record was issued (required by HL7 Europe MPD)."
Context: MedicationDispense
* ^url = "http://hl7.org/fhir/5.0/StructureDefinition/extension-MedicationDispense.recorded"
* value[x] 1..1
* value[x] only dateTime

Extension: Note
Id: note
Title: "Note (restated)"
Description: "Restated from the FHIR extensions pack (EPS section-note): a note, here on a summary section."
Context: Element
* ^url = "http://hl7.org/fhir/StructureDefinition/note"
* value[x] 1..1
* value[x] only Annotation
