// Invariants. Keys of IPS 2.0.1 / HL7 Europe EPS 1.0.0 are kept where a rule is restated from them
// (../shared/specs/eu-formats.md §1); national ones start with no-.

Invariant: ips-comp-1
Description: "Either section.entry or emptyReason are present (IPS; EPS applies it to every section)"
Severity: #error
Expression: "entry.reference.exists() or emptyReason.exists()"

Invariant: ips-pat-1
Description: "Patient.name.given, Patient.name.family or Patient.name.text SHALL be present"
Severity: #error
Expression: "family.exists() or given.exists() or text.exists()"

Invariant: bdl-ips-1
Description: "An IPS document has one Composition, the first entry"
Severity: #error
Expression: "entry.first().resource is Composition and entry.tail().where(resource is Composition).empty()"

Invariant: no-ps-bdl-fullurl
Description: "Every entry has a fullUrl, and no two entries share one"
Severity: #error
Expression: "entry.all(fullUrl.exists()) and entry.fullUrl.isDistinct()"

Invariant: eps-bundle-resource-code
Description: "Every Medication in the Bundle SHALL have a code (EPS)"
Severity: #error
Expression: "entry.resource.ofType(Medication).all(code.exists())"

Invariant: eps-bundle-patient-ref
Description: "AllergyIntolerance, Immunization and ImmunizationRecommendation SHALL have patient.reference (EPS)"
Severity: #error
Expression: "entry.resource.where($this is AllergyIntolerance or $this is Immunization or $this is ImmunizationRecommendation).all(patient.reference.exists())"

Invariant: eps-bundle-subject-ref
Description: "Composition, CarePlan, ClinicalImpression, Condition, Consent, DeviceUseStatement, DiagnosticReport, DocumentReference, Flag, MedicationStatement, MedicationRequest, Observation and Procedure SHALL have subject.reference (EPS)"
Severity: #error
Expression: "entry.resource.where($this is Composition or $this is CarePlan or $this is ClinicalImpression or $this is Condition or $this is DeviceUseStatement or $this is DiagnosticReport or $this is DocumentReference or $this is Flag or $this is MedicationStatement or $this is MedicationRequest or $this is Observation or $this is Procedure).all(subject.reference.exists())"

Invariant: no-pat-1
Description: "A Norwegian patient is identified by a fødselsnummer, a D-nummer or a felles hjelpenummer"
Severity: #error
Expression: "identifier.where(system = 'urn:oid:2.16.578.1.12.4.1.4.1' or system = 'urn:oid:2.16.578.1.12.4.1.4.2' or system = 'urn:oid:2.16.578.1.12.4.1.4.3').value.exists()"

Invariant: no-pat-fnr
Description: "A fødselsnummer is 11 digits"
Severity: #error
Expression: "value.empty() or value.matches('^[0-9]{11}$')"

Invariant: no-pat-dnr
Description: "A D-nummer is 11 digits, the first 4 to 7 (day + 40)"
Severity: #error
Expression: "value.empty() or value.matches('^[4-7][0-9]{10}$')"

Invariant: no-pat-fhn
Description: "A felles hjelpenummer is 11 digits, the first 8 or 9"
Severity: #error
Expression: "value.empty() or value.matches('^[89][0-9]{10}$')"
