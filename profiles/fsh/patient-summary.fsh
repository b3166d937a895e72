// The Norwegian national patient summary: at least as strict as IPS 2.0.1 and HL7 Europe EPS 1.0.0 as
// written in ../shared/specs/eu-formats.md §1, plus the six sections the Norwegian plan makes mandatory.
// The IPS/EPS packages cannot be loaded offline, so their rules are restated here; docs/profiles.md maps
// each profile to its IPS and EPS counterparts.

Profile: NoPsBundle
Parent: Bundle
Id: no-ps-bundle
Title: "Norwegian patient summary: Bundle"
Description: "The national patient summary document (IPS Bundle-uv-ips, EPS bundle-eu-eps): a document Bundle whose first entry is the Composition, with exactly one Patient; every entry has a fullUrl and a resource; the EPS bundle invariants."
* obeys bdl-ips-1 and no-ps-bdl-fullurl and eps-bundle-resource-code and eps-bundle-patient-ref and eps-bundle-subject-ref
* identifier 1..1 MS
* type = #document (exactly)
* type MS
* timestamp 1..1 MS
* entry 2..* MS
* entry.fullUrl 1..1 MS
* entry.resource 1..1 MS
* entry.search 0..0
* entry.request 0..0
* entry.response 0..0
* entry ^slicing.discriminator.type = #type
* entry ^slicing.discriminator.path = "resource"
* entry ^slicing.rules = #open
* entry ^slicing.ordered = false
* entry ^slicing.description = "Entries by resource type; each slice names the profile its resources must meet"
* entry contains
    composition 1..1 MS and
    patient 1..1 MS and
    allergyintolerance 0..* MS and
    condition 0..* MS and
    procedure 0..* MS and
    medicationstatement 0..* MS and
    medication 0..* MS and
    device 0..* MS and
    deviceusestatement 0..* MS and
    flag 0..* MS
* entry[composition].resource only NoPsComposition
* entry[patient].resource only NoPsPatient
* entry[allergyintolerance].resource only NoPsAllergyIntolerance
* entry[condition].resource only NoPsCondition
* entry[procedure].resource only NoPsProcedure
* entry[medicationstatement].resource only NoPsMedicationStatement
* entry[medication].resource only NoPsMedication
* entry[device].resource only NoPsDevice
* entry[deviceusestatement].resource only NoPsDeviceUseStatement
* entry[flag].resource only NoPsFlag

Profile: NoPsComposition
Parent: Composition
Id: no-ps-composition
Title: "Norwegian patient summary: Composition"
Description: "IPS Composition-uv-ips / EPS composition-eu-eps with the six Norwegian sections mandatory (devices, alerts, allergies, medication summary, problems, procedures), each with a title, its LOINC code, a narrative and either entries or an emptyReason (ips-comp-1 on every section, as EPS)."
* text MS
* identifier MS
* status MS
* type = $loinc#60591-5
* type MS
* subject 1..1 MS
* subject only Reference(NoPsPatient)
* subject.reference 1..1
* date MS
* author MS
* author only Reference(Organization or Practitioner or PractitionerRole or Device or NoPsPatient or RelatedPerson)
* title MS
* custodian MS
* custodian only Reference(Organization)
* section 6..* MS
* section obeys ips-comp-1
* section.title 1..1 MS
* section.code 1..1 MS
* section.text 1..1 MS
* section.entry MS
* section.emptyReason MS
* section.emptyReason from NoSectionEmptyReason (required)
* section.section 0..0
* section.extension contains
    Note named section-note 0..* and
    SectionSourceStatus named source-status 0..*
* section ^slicing.discriminator.type = #pattern
* section ^slicing.discriminator.path = "code"
* section ^slicing.rules = #open
* section ^slicing.ordered = false
* section ^slicing.description = "The six mandatory sections by LOINC code; other IPS/EPS sections may follow"
* section contains
    sectionMedicalDevices 1..1 MS and
    sectionAlerts 1..1 MS and
    sectionAllergies 1..1 MS and
    sectionMedications 1..1 MS and
    sectionProblems 1..1 MS and
    sectionProceduresHx 1..1 MS
* section[sectionMedicalDevices].code = $loinc#46264-8
* section[sectionMedicalDevices].entry only Reference(NoPsDeviceUseStatement)
* section[sectionAlerts].code = $loinc#104605-1
* section[sectionAlerts].entry only Reference(NoPsFlag)
* section[sectionAllergies].code = $loinc#48765-2
* section[sectionAllergies].entry only Reference(NoPsAllergyIntolerance)
* section[sectionMedications].code = $loinc#10160-0
* section[sectionMedications].entry only Reference(NoPsMedicationStatement or MedicationRequest or MedicationAdministration or MedicationDispense or DocumentReference)
* section[sectionProblems].code = $loinc#11450-4
* section[sectionProblems].entry only Reference(NoPsCondition)
* section[sectionProceduresHx].code = $loinc#47519-4
* section[sectionProceduresHx].entry only Reference(NoPsProcedure)

Profile: NoPsPatient
Parent: Patient
Id: no-ps-patient
Title: "Norwegian patient summary: Patient"
Description: "IPS Patient-uv-ips / EPS patient-eu-eps for a Norwegian patient: name and birth date required (ips-pat-1), identified by a fødselsnummer, D-nummer or felles hjelpenummer (identifier slices by system)."
* obeys no-pat-1
* identifier 1..* MS
* identifier ^slicing.discriminator.type = #value
* identifier ^slicing.discriminator.path = "system"
* identifier ^slicing.rules = #open
* identifier ^slicing.ordered = false
* identifier ^slicing.description = "Norwegian person identifiers by system"
* identifier contains FNR 0..1 MS and DNR 0..1 MS and FHN 0..1 MS
* identifier[FNR] obeys no-pat-fnr
* identifier[FNR].system 1..1
* identifier[FNR].system = $fnr (exactly)
* identifier[FNR].value 1..1
* identifier[DNR] obeys no-pat-dnr
* identifier[DNR].system 1..1
* identifier[DNR].system = $dnr (exactly)
* identifier[DNR].value 1..1
* identifier[FHN] obeys no-pat-fhn
* identifier[FHN].system 1..1
* identifier[FHN].system = $fhn (exactly)
* identifier[FHN].value 1..1
* name 1..* MS
* name obeys ips-pat-1
* name.text MS
* name.family MS
* name.given MS
* telecom MS
* gender MS
* birthDate 1..1 MS
* address MS
* generalPractitioner MS

Profile: NoPsAllergyIntolerance
Parent: AllergyIntolerance
Id: no-ps-allergyintolerance
Title: "Norwegian patient summary: AllergyIntolerance"
Description: "IPS AllergyIntolerance-uv-ips / EPS allergyintolerance-obl-eu-eps: code and patient.reference required; reactions may carry the Volven 7497 reaction type."
* clinicalStatus MS
* verificationStatus MS
* type MS
* criticality MS
* code 1..1 MS
* patient MS
* patient only Reference(NoPsPatient)
* patient.reference 1..1
* onset[x] MS
* reaction MS
* reaction.manifestation MS
* reaction.manifestation from Volven7497 (preferred)
* reaction.severity MS

Profile: NoPsCondition
Parent: Condition
Id: no-ps-condition
Title: "Norwegian patient summary: Condition"
Description: "IPS Condition-uv-ips / EPS condition-obl-eu-eps: code and subject.reference required."
* clinicalStatus MS
* verificationStatus MS
* category MS
* severity MS
* code 1..1 MS
* subject MS
* subject only Reference(NoPsPatient)
* subject.reference 1..1
* onset[x] MS

Profile: NoPsProcedure
Parent: Procedure
Id: no-ps-procedure
Title: "Norwegian patient summary: Procedure"
Description: "IPS Procedure-uv-ips / EPS procedure-eu-eps: code, subject.reference and performed[x] required."
* status MS
* code 1..1 MS
* subject MS
* subject only Reference(NoPsPatient)
* subject.reference 1..1
* performed[x] 1..1 MS

Profile: NoPsMedicationStatement
Parent: MedicationStatement
Id: no-ps-medicationstatement
Title: "Norwegian patient summary: MedicationStatement"
Description: "IPS MedicationStatement-uv-ips / EPS MedicationStatement-eu-eps: medication[x], subject.reference and effective[x] required (data-absent-reason when the source has no period)."
* status MS
* medication[x] MS
* medication[x] only CodeableConcept or Reference(NoPsMedication)
* subject MS
* subject only Reference(NoPsPatient)
* subject.reference 1..1
* effective[x] 1..1 MS
* dosage MS
* dosage.text MS
* dosage.timing MS
* dosage.route MS
* dosage.route from NoRoute (preferred)

Profile: NoPsMedication
Parent: Medication
Id: no-ps-medication
Title: "Norwegian patient summary: Medication"
Description: "IPS Medication-uv-ips / EPS medication-obl-eu-eps: code required (also eps-bundle-resource-code); EDQM and Volven 7448 dose forms; IHE MPD product name and classification (ATC)."
* extension contains
    IheMedicationProductName named productName 0..* and
    IheMedicationClassification named classification 0..*
* code 1..1 MS
* form MS
* form from NoDoseForm (preferred)
* ingredient MS
* ingredient.item[x] MS
* ingredient.strength MS

Profile: NoPsDeviceUseStatement
Parent: DeviceUseStatement
Id: no-ps-deviceusestatement
Title: "Norwegian patient summary: DeviceUseStatement"
Description: "IPS DeviceUseStatement-uv-ips / EPS deviceUseStatement-eu-eps: subject.reference, timing[x] and a resolvable device required."
* subject MS
* subject only Reference(NoPsPatient)
* subject.reference 1..1
* timing[x] 1..1 MS
* timing[x] only dateTime or Period
* device MS
* device only Reference(NoPsDevice)
* device.reference 1..1

Profile: NoPsDevice
Parent: Device
Id: no-ps-device
Title: "Norwegian patient summary: Device"
Description: "IPS Device-uv-ips / EPS device-eu-eps: the device type (SNOMED CT) and a user-friendly name."
* type MS
* deviceName MS
* patient MS
* patient only Reference(NoPsPatient)

Profile: NoPsFlag
Parent: Flag
Id: no-ps-flag
Title: "Norwegian patient summary: Flag (alert)"
Description: "IPS Flag-alert-uv-ips / EPS flag-alert-obl-eu-eps: an active alert about the patient; flag-detail may point at the Condition it is about."
* extension contains $flag-detail named flagDetail 0..1
* status = #active (exactly)
* status MS
* category MS
* code MS
* subject MS
* subject only Reference(NoPsPatient)
* subject.reference 1..1
