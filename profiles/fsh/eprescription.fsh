// EU ePrescription / eDispensation as the service emits and accepts them: HL7 Europe MPD 1.0.0
// (../shared/specs/eu-formats.md §2.1). Not Norwegian-specific: foreign prescriptions and dispensations are
// held to these profiles too. The MPD package cannot be loaded offline, so its rules are restated here.

Profile: NoMpdMedicationRequest
Parent: MedicationRequest
Id: no-mpd-medicationrequest
Title: "EU ePrescription: MedicationRequest (MPD)"
Description: "HL7 Europe MedicationRequest-eu-mpd as exchanged through ehds-no: prescription identifier, authoredOn and requester (the prescriber) required; prescribed quantity and rendered dosage as extensions."
* extension contains R5MedicationRequestRenderedDosageInstruction named renderedDosageInstruction 0..1
* identifier 1..* MS
* status MS
* intent MS
* medication[x] MS
* medication[x] only CodeableConcept or Reference(NoMpdMedication)
* subject MS
* subject only Reference(Patient)
* subject.reference 1..1
* authoredOn 1..1 MS
* requester 1..1 MS
* requester only Reference(Practitioner or PractitionerRole or Organization or Patient or RelatedPerson or Device)
* groupIdentifier MS
* dosageInstruction MS
* dosageInstruction.text MS
* dosageInstruction.route MS
* dispenseRequest MS
* dispenseRequest.extension contains IheMedicationRequestPrescribedQuantity named prescribedQuantity 0..1
* dispenseRequest.validityPeriod MS
* dispenseRequest.numberOfRepeatsAllowed MS
* substitution MS
* substitution.allowed[x] MS

Profile: NoMpdMedicationDispense
Parent: MedicationDispense
Id: no-mpd-medicationdispense
Title: "EU eDispensation: MedicationDispense (MPD)"
Description: "HL7 Europe MedicationDispense-eu-mpd as exchanged through ehds-no: the dispenser (performer.actor), the dispensed quantity and the recorded time (R5 backport extension) required."
* extension contains R5MedicationDispenseRecorded named recorded 1..1 MS
* identifier MS
* status MS
* medication[x] MS
* medication[x] only CodeableConcept or Reference(NoMpdMedication)
* subject MS
* subject only Reference(Patient)
* performer 1..* MS
* performer.actor 1..1 MS
* authorizingPrescription MS
* quantity 1..1 MS
* whenHandedOver MS
* dosageInstruction MS
* substitution MS
* substitution.wasSubstituted MS

Profile: NoMpdMedication
Parent: Medication
Id: no-mpd-medication
Title: "EU ePrescription / eDispensation: Medication (MPD)"
Description: "HL7 Europe Medication-eu-mpd as exchanged through ehds-no: code required (a product code or, for a magistral preparation, its text); IHE MPD product name and classification (ATC)."
* extension contains
    IheMedicationProductName named productName 0..* and
    IheMedicationClassification named classification 0..*
* identifier MS
* code 1..1 MS
* form MS
* form from NoDoseForm (preferred)
* amount MS
* ingredient MS
* ingredient.item[x] MS
* ingredient.strength MS
