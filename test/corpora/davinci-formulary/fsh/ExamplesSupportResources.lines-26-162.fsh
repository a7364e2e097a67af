Alias: $v2-0203 = http://terminology.hl7.org/CodeSystem/v2-0203
Alias: $sopt = https://nahdo.org/sopt
Alias: $v3-ActCode = http://terminology.hl7.org/CodeSystem/v3-ActCode
Alias: $subscriber-relationship = http://terminology.hl7.org/CodeSystem/subscriber-relationship
Alias: $coverage-class = http://terminology.hl7.org/CodeSystem/coverage-class

Instance: InsurancePlanCoverageExample
InstanceOf: InsurancePlanCoverage
Description: "Example of Insurance Plan Coverage"
Usage: #example

* extension[insurancePlan].valueReference = Reference(InsurancePlan/PayerInsurancePlanA1002)
* identifier.type = $v2-0203#MB "Member Number"
* identifier.system = "http://example.org/fhir/memberidentifier"
* identifier.value = "88800933501"
* status = #active
* type.coding[0] = $sopt#3712 "PPO"
* type.coding[+] = $v3-ActCode#PPO "preferred provider organization policy"
* type.text = "PPO"
* subscriberId = "888009335"
* beneficiary = Reference(Patient/example)
* relationship = $subscriber-relationship#self
* relationship.text = "Self"
* period.start = "2020-01-01"
* payor = Reference(Organization/acme-payer) "Acme Health Plan"
* class[0].type = $coverage-class#group "Group"
* class[=].type.text = "An employee group"
* class[=].value = "xyz"
* class[=].name = "XYZ employee Group Plan"
* class[+].type = $coverage-class#plan "Plan"
* class[=].type.text = "A specific suite of benefits."
* class[=].value = "gold"
* class[=].name = "Acme Gold Plan"

Alias: $v3-TribalEntityUS = http://terminology.hl7.org/CodeSystem/v3-TribalEntityUS
Alias: $v3-NullFlavor = http://terminology.hl7.org/CodeSystem/v3-NullFlavor
Alias: $v2-0203 = http://terminology.hl7.org/CodeSystem/v2-0203

Instance: example
InstanceOf: Patient
Description: "Example Patient"
Usage: #example
* extension[0].extension[0].url = "ombCategory"
* extension[=].extension[=].valueCoding = urn:oid:2.16.840.1.113883.6.238#2106-3 "White"
* extension[=].extension[+].url = "ombCategory"
* extension[=].extension[=].valueCoding = urn:oid:2.16.840.1.113883.6.238#1002-5 "American Indian or Alaska Native"
* extension[=].extension[+].url = "ombCategory"
* extension[=].extension[=].valueCoding = urn:oid:2.16.840.1.113883.6.238#2028-9 "Asian"
* extension[=].extension[+].url = "detailed"
* extension[=].extension[=].valueCoding = urn:oid:2.16.840.1.113883.6.238#1586-7 "Shoshone"
* extension[=].extension[+].url = "detailed"
* extension[=].extension[=].valueCoding = urn:oid:2.16.840.1.113883.6.238#2036-2 "Filipino"
* extension[=].extension[+].url = "text"
* extension[=].extension[=].valueString = "Mixed"
* extension[=].url = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-race"
* extension[+].extension[0].url = "ombCategory"
* extension[=].extension[=].valueCoding = urn:oid:2.16.840.1.113883.6.238#2135-2 "Hispanic or Latino"
* extension[=].extension[+].url = "detailed"
* extension[=].extension[=].valueCoding = urn:oid:2.16.840.1.113883.6.238#2184-0 "Dominican"
* extension[=].extension[+].url = "detailed"
* extension[=].extension[=].valueCoding = urn:oid:2.16.840.1.113883.6.238#2148-5 "Mexican"
* extension[=].extension[+].url = "text"
* extension[=].extension[=].valueString = "Hispanic or Latino"
* extension[=].url = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity"
* extension[+].extension[0].url = "tribalAffiliation"
* extension[=].extension[=].valueCodeableConcept = $v3-TribalEntityUS#187 "Paiute-Shoshone Tribe of the Fallon Reservation and Colony, Nevada"
* extension[=].extension[=].valueCodeableConcept.text = "Shoshone"
* extension[=].extension[+].url = "isEnrolled"
* extension[=].extension[=].valueBoolean = false
* extension[=].url = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-tribal-affiliation"
* extension[+].url = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex"
* extension[=].valueCode = #F
* extension[+].url = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-sex"
* extension[=].valueCode = #248152002
* extension[+].url = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-genderIdentity"
* extension[=].valueCodeableConcept = $v3-NullFlavor#UNK "Unknown"
* extension[=].valueCodeableConcept.text = "Unknown"
* identifier.use = #usual
* identifier.type = $v2-0203#MR "Medical Record Number"
* identifier.type.text = "Medical Record Number"
* identifier.system = "http://hospital.smarthealthit.org"
* identifier.value = "1032702"
* active = true
* name[0].use = #old
* name[=].family = "Shaw"
* name[=].given[0] = "Amy"
* name[=].given[+] = "V."
* name[=].period.start = "2016-12-06"
* name[=].period.end = "2020-07-22"
* name[+].family = "Baxter"
* name[=].given[0] = "Amy"
* name[=].given[+] = "V."
* name[=].suffix = "PharmD"
* name[=].period.start = "2020-07-22"
* telecom[0].system = #phone
* telecom[=].value = "555-555-5555"
* telecom[=].use = #home
* telecom[+].system = #email
* telecom[=].value = "amy.shaw@example.com"
* gender = #female
* birthDate = "1987-02-20"
* address[0].use = #old
* address[=].line = "49 MEADOW ST"
* address[=].city = "MOUNDS"
* address[=].state = "OK"
* address[=].postalCode = "74047"
* address[=].country = "US"
* address[=].period.start = "2016-12-06"
* address[=].period.end = "2020-07-22"
* address[+].line = "183 MOUNTAIN VIEW ST"
* address[=].city = "MOUNDS"
* address[=].state = "OK"
* address[=].postalCode = "74048"
* address[=].country = "US"
* address[=].period.start = "2020-07-22"


Alias: $organization-type = http://terminology.hl7.org/CodeSystem/organization-type

Instance: acme-payer
InstanceOf: Organization
Description: "Example Payer Organization"
Usage: #example
* identifier.system = "urn:oid:2.16.840.1.113883.6.300"
* identifier.value = "55555"
* active = true
* type = $organization-type#pay
* type.text = "Payer"
* name = "Acme Health Plan"
* telecom[0].system = #phone
* telecom[=].value = "(+1) 555-555-5555"
* telecom[+].system = #email
* telecom[=].value = "hq@acme.org"
* address.line = "100 INSURANCE AVE"
* address.city = "AMHERST"
* address.state = "MA"
* address.postalCode = "01002"
