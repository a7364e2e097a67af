Alias: $GeoJSONExtension = http://hl7.org/fhir/StructureDefinition/location-boundary-geojson
Alias: $PlanNetInsuranceProductTypeVS = http://hl7.org/fhir/us/davinci-pdex-plan-net/ValueSet/InsuranceProductTypeVS
Alias: $PlanNetInsuranceProductTypeCS = http://hl7.org/fhir/us/davinci-pdex-plan-net/CodeSystem/InsuranceProductTypeCS

Alias: $HL7v3-ActCode = http://terminology.hl7.org/CodeSystem/v3-ActCode
Alias: $HL7ContactEntity-Type = http://terminology.hl7.org/CodeSystem/contactentity-type

//Alias: $HL7-USCore-MedicationCodes = http://cts.nlm.nih.gov/fhir/ValueSet/2.16.840.1.113762.1.4.1010.4

Alias: $HL7InsurancePlanTypeCS = http://terminology.hl7.org/CodeSystem/insurance-plan-type
Alias: $HL7InsurancePlanTypeVS = http://terminology.hl7.org/ValueSet/insuranceplan-type

Alias: $RxNorm = http://www.nlm.nih.gov/research/umls/rxnorm

Alias: $WG = http://hl7.org/fhir/StructureDefinition/structuredefinition-wg